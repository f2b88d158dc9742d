-- json: encode and decode with the reference's rules and errors.
local json = require("json")
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

return { main = function()
    eq(json.encode("hello"), '"hello"', "a string")
    eq(select("#", json.encode({ 1 })), 1, "the text alone, as the reference gives it")
    eq(select("#", json.decode("[1]")), 1, "the value alone")
    eq(json.encode(42), "42", "an integer")
    eq(json.encode(2.5), "2.5", "a float")
    eq(json.encode(10 / 2), "5", "an integral float")
    eq(json.encode(true), "true", "a boolean")
    eq(json.encode(nil), "null", "nil")
    eq(json.encode(math.huge), "null", "Inf is null")
    eq(json.encode({}), "[]", "an empty table is an array")
    eq(json.encode({ 1, 2, 3 }), "[1,2,3]", "an array")
    eq(json.encode({ zeta = 1, alpha = { yankee = true, bravo = { { delta = "d", charlie = "c" } } }, mike = "m", echo = 2.5 }),
        '{"alpha":{"bravo":[{"charlie":"c","delta":"d"}],"yankee":true},"echo":2.5,"mike":"m","zeta":1}', "keys in order")
    eq(json.encode({ [true] = "yes", b = "bee", [1.5] = "half" }), '{"1.5":"half","b":"bee","true":"yes"}', "other keys as text")
    eq(json.encode({ s = 'quote " back \\ nl \n <tag> é' }), '{"s":"quote \\" back \\\\ nl \\n <tag> é"}', "escapes")

    local out, err = json.encode({ 1, 2, nil, 4 })
    eq(out, nil, "a sparse array fails")
    eq(tostring(err), "cannot encode sparse array", "sparse")
    eq(err:kind(), errors.INTERNAL, "sparse is internal")
    _, err = json.encode({ 1, x = 2 })
    eq(tostring(err), "cannot encode mixed or invalid key types", "mixed")
    local cycle = {}
    cycle.self = cycle
    _, err = json.encode(cycle)
    eq(tostring(err), "cannot encode recursively nested tables to JSON", "a cycle")
    local shared = { 1 }
    eq(json.encode({ a = shared, b = shared }), '{"a":[1],"b":[1]}', "a table met twice is no cycle")
    _, err = json.encode({ f = print })
    eq(tostring(err), "cannot encode function to JSON", "a function")
    local deep = {}
    for _ = 1, 200 do deep = { deep } end
    _, err = json.encode(deep)
    assert(tostring(err):find("nested deeper than 128", 1, true), tostring(err))

    local user = json.decode('{"name":"Bob","active":true,"age":30,"score":2.5,"big":1e3,"none":null,"tags":["a","b"]}')
    eq(user.name, "Bob", "a string member")
    eq(user.active, true, "a boolean member")
    eq(math.type(user.age), "integer", "an integer stays one")
    eq(math.type(user.score), "float", "a float")
    eq(math.type(user.big), "float", "an exponent is a float")
    eq(user.none, nil, "null is absent")
    eq(#user.tags, 2, "an array")
    eq(user.tags[2], "b", "its items")
    eq(json.decode("42"), 42, "a bare number")
    eq(json.decode('"x"'), "x", "a bare string")

    local none, derr = json.decode("not valid json")
    eq(none, nil, "invalid text")
    eq(derr:kind(), errors.INTERNAL, "a parse error is internal")
    _, derr = json.decode("")
    eq(tostring(derr), "empty string is not valid JSON", "empty")
    eq(derr:kind(), errors.INVALID, "empty is invalid")
    _, derr = json.decode(42)
    eq(tostring(derr), "string expected", "not a string")
    _, derr = json.decode("[1] [2]")
    assert(derr ~= nil, "trailing data is an error")

    -- validation against a JSON Schema, given as a table or as its text
    local user_schema = { type = "object", required = { "name", "email" }, properties = {
        name = { type = "string", minLength = 1 },
        email = { type = "string", format = "email" },
        age = { type = "integer", minimum = 0, maximum = 150 } } }
    local valid, verr = json.validate(user_schema, { name = "Alice", email = "alice@example.com", age = 30 })
    eq(valid, true, "valid data")
    eq(verr, nil, "no error")
    valid, verr = json.validate(user_schema, { name = "", email = "not-an-email" })
    eq(valid, false, "invalid data")
    eq(verr:kind(), errors.INVALID, "a validation error is invalid")
    assert(tostring(verr):find("validation failed", 1, true) and tostring(verr):find("/name", 1, true), tostring(verr))
    eq(json.validate('{"type":"number","minimum":0}', 42), true, "a schema as text")
    eq(json.validate('{"type":"number","minimum":0}', -1), false, "below the minimum")
    eq(json.validate_string({ type = "object", required = { "action" } }, '{"action":"create"}'), true, "validate_string")
    eq(json.validate_string({ type = "object", required = { "action" } }, "{}"), false, "a missing member")
    local bad, serr = json.validate('{"type": 12}', 1)
    eq(bad, false, "an invalid schema")
    assert(tostring(serr):find("invalid schema", 1, true), tostring(serr))

    -- a round trip keeps the value and gives the same text
    local text = '{"a":[1,2.5,"x",true],"b":{"c":-7}}'
    eq(json.encode(json.decode(text)), text, "round trip")
end }
