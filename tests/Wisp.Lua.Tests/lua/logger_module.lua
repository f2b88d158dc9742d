-- logger: the four levels with fields, with (fields on every entry, merged), named (joined with dots), the errors of
-- bad arguments, and print, which logs too. What each call wrote is checked by LuaApiTests, which reads the node's
-- log (a test cannot).
local logger = require("logger")
local time = require("time")
local check = require("check")
local eq, raises = check.eq, check.raises

return { main = function()
    eq(logger:debug("debug entry", { n = 1 }), nil, "a log call returns nothing")
    logger:info("info entry", { str = "hello", num = 42, float = 3.14, bool = true, nested = { a = { 1, 2 } },
        [3] = "dropped", err = errors.new("inner"), at = time.unix(0, 0):utc(), wait = time.parse_duration("1m30s") })
    logger:warn("warn entry")
    logger:error("error entry", { error = errors.new("boom"), op = "read" })
    logger:info(42)
    logger:info("nil fields", nil)

    local child = logger:with({ service = "api", region = "eu" })
    assert(child ~= logger, "with gives a new logger")
    child:info("with entry")
    child:with({ service = "api2", method = "GET" }):warn("merged entry", { method = "POST" })
    logger:info("base entry")

    local auth = logger:named("auth")
    auth:info("named entry")
    auth:named("session"):with({ user = 7 }):error("nested name entry")
    child:named("db"):debug("named with fields entry")
    print("printed", 42, {})

    raises(logger.info, "bad argument #2 to 'info' (string expected, got table)", logger, {})
    raises(logger.warn, "bad argument #2 to 'warn' (string expected, got nil)", logger)
    raises(logger.error, "bad argument #3 to 'error' (table expected, got string)", logger, "x", "fields")
    raises(logger.with, "bad argument #2 to 'with' (table expected, got string)", logger, "x")
    raises(logger.named, "bad argument #2 to 'named' (string expected, got nil)", logger)
    raises(logger.named, "bad argument #2 to 'named' (name cannot be empty)", logger, "")
    raises(logger.debug, "bad argument #1 to 'debug' (logger expected, got string)", "not a logger", "x")
    raises(logger.with, "bad argument #1 to 'with' (logger expected, got table)", {}, {})
end }
