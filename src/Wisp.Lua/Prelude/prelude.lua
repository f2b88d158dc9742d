-- The Lua side of Wisp's Lua API, run once per shard (a Lua state shared by processes). It receives the tag of
-- loop requests, the WAIT and RAISE sentinels, and P, the table of C# primitives; it returns what the shard needs.
--
-- Rules (docs/lua.md):
-- * a C# primitive never raises and never yields: it returns its results, or RAISE and a message (the wrapper
--   here raises it at the caller's level), or WAIT after leaving a pending operation with the process, and the
--   wrapper yields (TAG, OP_WAIT) to the process's loop, which completes the operation and resumes the
--   coroutine with its results;
-- * TAG, WAIT, RAISE and P live only in upvalues of this chunk: scripts cannot forge a loop request;
-- * every process has its own environment (its globals) and, on first use, its own copy-on-write view of each
--   library, so nothing one process does to its globals or libraries is seen by another;
-- * CUR[1] is the record of the process whose Lua code runs (set by C# before each resume).
local TAG, WAIT, RAISE, P = ...

local OP_WAIT, OP_YIELD, OP_SPAWN = 1, 2, 3

local type, error, select, rawget, rawset, rawequal, next, pairs, tostring, setmetatable, getmetatable =
    type, error, select, rawget, rawset, rawequal, next, pairs, tostring, setmetatable, getmetatable
local co_create, co_status, co_yield, co_close, co_running, co_isyieldable =
    coroutine.create, coroutine.status, coroutine.yield, coroutine.close, coroutine.running,
    coroutine.isyieldable
local string_lib, table_lib, math_lib = string, table, math
-- os without what reaches outside the sandbox; date and time in C# (the C library's are not thread-safe).
local os_lib = { difftime = os.difftime }
local raw_setmetatable = P.raw_setmetatable
local raw_getmetatable, getinfo = debug.getmetatable, debug.getinfo   -- the prelude's own: scripts have no debug library
local take_preempt = P.take_preempt
local co_resume = P.co_resume   -- tells the shard which thread runs (see Native/Preemption.cs)

local CUR = {}

-- A primitive's results as it gives them, as many as it gives (a result list can be another call's arguments), or
-- the error it asks to raise. Called in tail position by a wrapper, so level 2 is the wrapper's caller.
local function settled(a, ...)
    if a == RAISE then error((...), 2) end
    return a, ...
end

local function wrap(f)
    return function(...) return settled(f(...)) end
end

local function wait() return co_yield(TAG, OP_WAIT) end

-- A primitive that may block: WAIT means "yield to the loop, which resumes with the results".
local function settled_or_waited(a, ...)
    if a == WAIT then return co_yield(TAG, OP_WAIT) end
    if a == RAISE then error((...), 2) end
    return a, ...
end

local function blocking(f)
    return function(...) return settled_or_waited(f(...)) end
end

local function readonly(t, name)
    return setmetatable({}, {
        __index = t,
        __newindex = function() error("attempt to modify the read-only table " .. name, 2) end,
        __pairs = function() return next, t, nil end,
        __metatable = false,
    })
end

---------------------------------------------------------------------------------------------------------------
-- coroutines: the standard functions keep working when the coroutine body calls blocking APIs; a request made
-- inside a user coroutine is passed out to the loop, and the loop's reply is passed back in.
---------------------------------------------------------------------------------------------------------------

local function forward(co, ok, ...)
    if rawequal(ok, RAISE) then error((...), 3) end
    if ok and co_status(co) == "suspended" then
        local n = select("#", ...)
        if n > 0 and rawequal((...), TAG) then
            return forward(co, co_resume(co, co_yield(...)))
        elseif n == 0 and take_preempt() then
            if co_isyieldable() then co_yield(TAG, OP_YIELD) end   -- else the watchdog ends a slice that lasts
            return forward(co, co_resume(co))
        end
    end
    return ok, ...
end

local function resume(co, ...)
    if type(co) ~= "thread" then
        error("bad argument #1 to 'resume' (coroutine expected, got " .. type(co) .. ")", 2)
    end
    return forward(co, co_resume(co, ...))
end

local function unwrap(co, ok, ...)
    if ok then return ... end
    local err = ...
    if co_close then co_close(co) end
    error(err, 0)
end

local coroutine_lib = {
    create = co_create,
    resume = resume,
    yield = co_yield,
    status = co_status,
    running = co_running,
    isyieldable = co_isyieldable,
    close = co_close,
    wrap = function(f)
        local co = co_create(f)
        return function(...) return unwrap(co, forward(co, co_resume(co, ...))) end
    end,
    spawn = function(f, ...)
        if type(f) ~= "function" then
            error("bad argument #1 to 'spawn' (function expected, got " .. type(f) .. ")", 2)
        end
        return co_yield(TAG, OP_SPAWN, f)
    end,
}

---------------------------------------------------------------------------------------------------------------
-- errors
---------------------------------------------------------------------------------------------------------------

local error_fields = P.error_fields
local new_error = P.error_new

local errors_lib = {
    UNKNOWN = "", INVALID = "Invalid", NOT_FOUND = "NotFound", ALREADY_EXISTS = "AlreadyExists",
    PERMISSION_DENIED = "PermissionDenied", UNAVAILABLE = "Unavailable", INTERNAL = "Internal",
    CANCELED = "Canceled", CONFLICT = "Conflict", TIMEOUT = "Timeout", RATE_LIMITED = "RateLimited",
}

local function is_error(e) return error_fields(e) ~= nil end

function errors_lib.new(spec)
    if spec == nil then error("bad argument #1 to 'new' (value expected)", 2) end
    if type(spec) == "string" then return new_error(spec, "", nil, nil) end
    if is_error(spec) then return spec end
    if type(spec) ~= "table" then error("bad argument #1 to 'new' (expected string or table)", 2) end
    local message = rawget(spec, "message")
    if message == nil then error("bad argument #1 to 'new' (message field is required)", 2) end
    if type(message) ~= "string" then error("bad argument #1 to 'new' (message must be a string)", 2) end
    local kind, retryable, details = rawget(spec, "kind"), rawget(spec, "retryable"), rawget(spec, "details")
    if type(retryable) ~= "boolean" then retryable = nil end
    if type(details) ~= "table" then details = nil end
    return new_error(message, type(kind) == "string" and kind or "", retryable, details)
end

function errors_lib.wrap(parent, context)
    local fields
    if type(parent) == "string" then fields = { message = parent, kind = "" }
    else
        fields = error_fields(parent)
        if not fields then error("bad argument #1 to 'wrap' (expected string or error object)", 2) end
    end
    if context ~= nil and type(context) ~= "string" then
        local cf = error_fields(context)
        if not cf then error("bad argument #2 to 'wrap' (expected string or error object)", 2) end
        context = cf.message
    end
    local message = fields.message
    if fields.context and fields.context ~= "" then message = fields.context .. ": " .. message end
    local wrapped = new_error(message, fields.kind, fields.retryable, fields.details)
    error_fields(wrapped).context = context
    return wrapped
end

function errors_lib.is(err, kind)
    if type(kind) ~= "string" then error("bad argument #2 to 'is' (string expected, got " .. type(kind) .. ")", 2) end
    local fields = error_fields(err)
    return fields ~= nil and fields.kind == kind
end

function errors_lib.call_stack(err)
    local fields = error_fields(err)
    if not fields or not fields.frames then return nil end
    return { thread = fields.thread, frames = fields.frames }
end

local error_methods = {}
function error_methods:kind() local f = error_fields(self); return f and f.kind or "" end
function error_methods:message() local f = error_fields(self); return f and f.message or "" end
function error_methods:retryable() local f = error_fields(self); if f then return f.retryable end end
function error_methods:details()
    local f = error_fields(self)
    if f and f.details ~= nil and next(f.details) ~= nil then return f.details end
end
function error_methods:stack() local f = error_fields(self); return f and f.stack or "" end

-- An error behaves as its message where a program treats it as a string (the reference's errors are strings to
-- the string library): string.find(err, "x"), err:upper(), err .. "", tostring(err).
local error_string_methods = {}
setmetatable(error_methods, {
    __index = function(_, name)
        local f = error_string_methods[name]
        if f == nil and type(string_lib[name]) == "function" then
            local s = string_lib[name]
            f = function(e, ...) return s(error_fields(e).message, ...) end
            error_string_methods[name] = f
        end
        return f
    end,
})
for _, name in ipairs({ "byte", "find", "gmatch", "gsub", "len", "lower", "match", "rep", "reverse", "sub", "upper" }) do
    local f = string_lib[name]
    string_lib[name] = function(s, ...)
        if type(s) == "userdata" then
            local fields = error_fields(s)
            if fields then s = fields.message end
        end
        return f(s, ...)
    end
end

local ERROR_MT = {
    __index = error_methods,
    __tostring = function(e) return error_fields(e).message end,
    __concat = function(a, b) return tostring(a) .. tostring(b) end,
    __metatable = false,
    __name = "error",
}

---------------------------------------------------------------------------------------------------------------
-- channels and select
---------------------------------------------------------------------------------------------------------------

local CASE_MT = { __metatable = false }
local ch_send, ch_recv = P.ch_send, P.ch_recv

local channel_methods = {}
function channel_methods.send(ch, value)
    local r, message = ch_send(ch, value)
    if r == WAIT then return co_yield(TAG, OP_WAIT) end
    if r == RAISE then error(message, 2) end
    return r, message
end
function channel_methods.receive(ch)
    local value, ok = ch_recv(ch)
    if value == WAIT then return co_yield(TAG, OP_WAIT) end
    if value == RAISE then error(ok, 2) end
    return value, ok
end
channel_methods.close = wrap(P.ch_close)
function channel_methods.case_send(ch, value) return setmetatable({ ch, value, true }, CASE_MT) end
-- A receive case carries nothing but its channel: one per channel serves every select (a relay's loop makes two
-- per message otherwise).
local RECEIVE_CASES = setmetatable({}, { __mode = "k" })
function channel_methods.case_receive(ch)
    local case = RECEIVE_CASES[ch]
    if case == nil then
        case = setmetatable({ ch, nil, false }, CASE_MT)
        RECEIVE_CASES[ch] = case
    end
    return case
end

local CHANNEL_MT = { __index = channel_methods, __gc = P.handle_gc, __metatable = false, __name = "channel" }

local p_select = P.select
local channel_lib = {
    new = wrap(P.ch_new),
    select = function(cases, dflt)
        if type(cases) ~= "table" then
            error("bad argument #1 to 'select' (table expected, got " .. type(cases) .. ")", 2)
        end
        if dflt ~= nil and type(dflt) ~= "boolean" then
            error("bad argument #2 to 'select' (boolean expected, got " .. type(dflt) .. ")", 2)
        end
        local i, v, ok = p_select(cases, dflt == true or rawget(cases, "default") == true, CASE_MT)
        if i == WAIT then i, v, ok = co_yield(TAG, OP_WAIT) end
        if i == RAISE then error(v, 2) end
        if i == 0 then return { default = true, ok = true } end
        local c = cases[i]
        if c[3] then v = c[2] end   -- a send case's value is the one it sent
        return { channel = c[1], value = v, ok = ok }
    end,
}

---------------------------------------------------------------------------------------------------------------
-- messages, payloads, events (built by C#, with these metatables)
---------------------------------------------------------------------------------------------------------------

-- A payload is {value or encoded data, format, error}; a format other than a value's is decoded on data() and
-- converted by transcode in C# (Modules/PayloadPrimitives.cs).
local payload_methods = {}
local PAYLOAD_MT = {
    __index = payload_methods,
    __tostring = function(p) return "payload{format=" .. p[2] .. "}" end,
    __metatable = false,
}
local payload_decode, payload_transcode = wrap(P.payload_decode), wrap(P.payload_transcode)
local VALUE_FORMATS = { ["lua/any"] = true, ["golang/any"] = true, ["golang/error"] = true }

local function check_payload(p, method)
    if raw_getmetatable(p) ~= PAYLOAD_MT then
        error("bad argument #1 to '" .. method .. "' (payload expected, got " .. type(p) .. ")", 3)
    end
end
-- The value, or nil and the error; one result on success, as the reference gives (data() can be an argument list).
local function payload_value(p, method)
    check_payload(p, method)
    local format = p[2]
    if not VALUE_FORMATS[format] then return payload_decode(p[1], format) end
    if p[3] ~= nil then return nil, p[3] end
    return p[1]
end
function payload_methods:data() return payload_value(self, "data") end
function payload_methods:unmarshal() return payload_value(self, "unmarshal") end
function payload_methods:get_format() check_payload(self, "get_format"); return self[2] end
function payload_methods:transcode(format)
    check_payload(self, "transcode")
    local t = type(format)
    if t == "number" then format = tostring(format)
    elseif t ~= "string" then error("bad argument #2 to 'transcode' (string expected, got " .. t .. ")", 2) end
    if format == self[2] then return self, nil end
    if self[3] ~= nil then return nil, self[3] end
    local data, err = payload_transcode(self[1], self[2], format)
    if err ~= nil then return nil, err end
    return setmetatable({ data, format }, PAYLOAD_MT), nil
end

local message_methods = {}
function message_methods:topic() return self[1] end
function message_methods:from() return self[2] end
function message_methods:payload() return self[3] end
local MESSAGE_MT = {
    __index = message_methods,
    __tostring = function(m) return "process.Message{topic=" .. m[1] .. "}" end,
    __metatable = false,
}

local payload_lib = {
    format = readonly({ JSON = "json/plain", YAML = "yaml/plain", STRING = "text/plain", BYTES = "application/octet-stream",
        MSGPACK = "application/msgpack", LUA = "lua/any", GOLANG = "golang/any", ERROR = "golang/error" }, "payload.format"),
    new = function(value)
        return setmetatable({ value, is_error(value) and "golang/error" or "lua/any" }, PAYLOAD_MT)
    end,
}

---------------------------------------------------------------------------------------------------------------
-- process
---------------------------------------------------------------------------------------------------------------

local p_spawn = wrap(P.spawn)
local p_inbox, p_events, p_listen, p_unlisten = P.inbox, P.events, P.listen, P.unlisten

local process_lib = {
    pid = P.pid,
    id = P.id,
    send = wrap(P.send),
    spawn = function(...) return p_spawn(0, ...) end,
    spawn_monitored = function(...) return p_spawn(1, ...) end,
    spawn_linked = function(...) return p_spawn(2, ...) end,
    spawn_linked_monitored = function(...) return p_spawn(3, ...) end,
    monitor = wrap(P.monitor),
    unmonitor = wrap(P.unmonitor),
    link = wrap(P.link),
    unlink = wrap(P.unlink),
    cancel = wrap(P.cancel),
    terminate = wrap(P.terminate),
    get_options = P.get_options,
    set_options = P.set_options,
    inbox = function()
        local rec = CUR[1]
        local ch = rec.inbox
        if ch == nil then ch = p_inbox(); rec.inbox = ch end
        return ch
    end,
    events = function()
        local rec = CUR[1]
        local ch = rec.events
        if ch == nil then ch = p_events(); rec.events = ch end
        return ch
    end,
    listen = function(topic, options)   -- the same channel for a topic on every call
        local rec = CUR[1]
        local listening = rec.listening
        if listening == nil then listening = {}; rec.listening = listening end
        local ch = type(topic) == "string" and listening[topic] or nil
        if ch ~= nil then return ch end
        local err
        ch, err = p_listen(topic, options)
        if ch == RAISE then error(err, 2) end
        if ch ~= nil then listening[topic] = ch end
        return ch, err
    end,
    unlisten = function(ch)
        local ok, err = p_unlisten(ch)
        if ok == RAISE then error(err, 2) end
        local listening = CUR[1].listening
        if ok and listening then
            for topic, known in pairs(listening) do
                if rawequal(known, ch) then listening[topic] = nil end
            end
        end
        return ok, err
    end,
    event = readonly({ EXIT = "pid.exit", LINK_DOWN = "pid.link.down", CANCEL = "pid.cancel" }, "process.event"),
    registry = readonly({
        register = blocking(P.register),   -- a CONSISTENT name waits for the cluster's answer
        lookup = wrap(P.lookup),
        unregister = wrap(P.unregister),
        LOCAL = 0, EVENTUAL = 1, CONSISTENT = 2, STRONG = 3,
    }, "process.registry"),
}

---------------------------------------------------------------------------------------------------------------
-- time
---------------------------------------------------------------------------------------------------------------

local time_methods, duration_methods, timer_methods, ticker_methods = {}, {}, {}, {}
for name, f in pairs(P.time_methods) do time_methods[name] = wrap(f) end
for name, f in pairs(P.duration_methods) do duration_methods[name] = f end
timer_methods.response = P.timer_channel
timer_methods.channel = P.timer_channel
timer_methods.stop = P.timer_stop
timer_methods.reset = wrap(P.timer_reset)
ticker_methods.response = P.ticker_channel
ticker_methods.channel = P.ticker_channel
ticker_methods.stop = P.ticker_stop

local TIME_MT = { __index = time_methods, __tostring = P.time_tostring, __eq = P.time_eq, __lt = P.time_lt,
    __le = P.time_le, __metatable = false, __name = "time.Time" }
local DURATION_MT = { __index = duration_methods, __tostring = P.duration_tostring, __eq = P.duration_eq,
    __metatable = false, __name = "time.Duration" }
local LOCATION_MT = { __index = { string = P.location_tostring }, __tostring = P.location_tostring,
    __metatable = false, __name = "time.Location" }
local TIMER_MT = { __index = timer_methods, __gc = P.handle_gc, __metatable = false, __name = "time.Timer" }
local TICKER_MT = { __index = ticker_methods, __gc = P.handle_gc, __metatable = false, __name = "time.Ticker" }

local time_lib = {
    NANOSECOND = 1, MICROSECOND = 1000, MILLISECOND = 1000000, SECOND = 1000000000,
    MINUTE = 60000000000, HOUR = 3600000000000,
    sleep = blocking(P.sleep),
    after = wrap(P.after),
    timer = wrap(P.timer),
    ticker = wrap(P.ticker),
    now = P.now,
    unix = wrap(P.time_unix),
    date = wrap(P.time_date),
    parse = wrap(P.time_parse),
    parse_duration = wrap(P.parse_duration),
    fixed_zone = wrap(P.fixed_zone),
    load_location = wrap(P.load_location),
    RFC3339 = "2006-01-02T15:04:05Z07:00", RFC3339NANO = "2006-01-02T15:04:05.999999999Z07:00",
    RFC822 = "02 Jan 06 15:04 MST", RFC822Z = "02 Jan 06 15:04 -0700", RFC850 = "Monday, 02-Jan-06 15:04:05 MST",
    RFC1123 = "Mon, 02 Jan 2006 15:04:05 MST", RFC1123Z = "Mon, 02 Jan 2006 15:04:05 -0700",
    KITCHEN = "3:04PM", STAMP = "Jan _2 15:04:05", STAMP_MILLI = "Jan _2 15:04:05.000",
    STAMP_MICRO = "Jan _2 15:04:05.000000", STAMP_NANO = "Jan _2 15:04:05.000000000",
    DATE_TIME = "2006-01-02 15:04:05", DATE_ONLY = "2006-01-02", TIME_ONLY = "15:04:05",
    JANUARY = 1, FEBRUARY = 2, MARCH = 3, APRIL = 4, MAY = 5, JUNE = 6, JULY = 7, AUGUST = 8, SEPTEMBER = 9,
    OCTOBER = 10, NOVEMBER = 11, DECEMBER = 12,
    SUNDAY = 0, MONDAY = 1, TUESDAY = 2, WEDNESDAY = 3, THURSDAY = 4, FRIDAY = 5, SATURDAY = 6,
}

---------------------------------------------------------------------------------------------------------------
-- io (the terminal host's), logger
---------------------------------------------------------------------------------------------------------------

-- The values to write as tostring gives them (the reference's io converts each so, __tostring included).
local function texts(...)
    local n = select("#", ...)
    local values = { ... }
    for i = 1, n do
        local v = values[i]
        if type(v) ~= "string" then values[i] = tostring(v) end
    end
    return table_lib.unpack(values, 1, n)
end
local io_write, io_print, io_eprint = P.io_write, P.io_print, P.io_eprint

local io_lib = {
    write = function(...) return io_write(texts(...)) end,
    print = function(...) return io_print(texts(...)) end,
    eprint = function(...) return io_eprint(texts(...)) end,
    read = blocking(P.io_read),
    readline = blocking(P.io_readline),
    flush = P.io_flush,
    args = P.io_args,
    raw = P.io_raw,
}

local p_log = P.log
local logger_methods = {}
local LOGGER_MT = { __index = logger_methods, __metatable = false, __name = "logger.Logger" }

local function check_logger(self, method)
    if type(self) ~= "table" or rawget(self, 1) ~= LOGGER_MT then
        error("bad argument #1 to '" .. method .. "' (logger expected, got " .. type(self) .. ")", 3)
    end
end

for level, name in pairs({ [0] = "debug", [1] = "info", [2] = "warn", [3] = "error" }) do
    logger_methods[name] = function(self, message, fields)
        check_logger(self, name)
        if type(message) ~= "string" and type(message) ~= "number" then
            error("bad argument #2 to '" .. name .. "' (string expected, got " .. type(message) .. ")", 2)
        end
        if fields ~= nil and type(fields) ~= "table" then
            error("bad argument #3 to '" .. name .. "' (table expected, got " .. type(fields) .. ")", 2)
        end
        p_log(level, self[2], self[3], tostring(message), fields, getinfo(2, "l").currentline)
    end
end

local function new_logger(name, fields) return setmetatable({ LOGGER_MT, name, fields }, LOGGER_MT) end

function logger_methods:with(fields)
    check_logger(self, "with")
    if type(fields) ~= "table" then error("bad argument #2 to 'with' (table expected, got " .. type(fields) .. ")", 2) end
    local merged = {}
    if self[3] then for k, v in pairs(self[3]) do merged[k] = v end end
    for k, v in pairs(fields) do merged[k] = v end
    return new_logger(self[2], merged)
end

function logger_methods:named(name)
    check_logger(self, "named")
    if type(name) ~= "string" then error("bad argument #2 to 'named' (string expected, got " .. type(name) .. ")", 2) end
    if name == "" then error("bad argument #2 to 'named' (name cannot be empty)", 2) end
    return new_logger(self[2] and (self[2] .. "." .. name) or name, self[3])
end

local logger_lib = new_logger(nil, nil)

---------------------------------------------------------------------------------------------------------------
-- funcs: entries called as functions, each call a process of its own
---------------------------------------------------------------------------------------------------------------

-- A future holds the channel its call's result comes on (once: a Payload, or the error).
local future_state, future_result, future_error, future_cancel =
    wrap(P.future_state), wrap(P.future_result), wrap(P.future_error), wrap(P.future_cancel)
local future_methods = {}
function future_methods:response() return self[1] end
future_methods.channel = future_methods.response
function future_methods:is_complete() return (future_state(self[1])) end
function future_methods:is_canceled() local _, canceled = future_state(self[1]); return canceled end
function future_methods:result() return future_result(self[1]) end
function future_methods:error() return future_error(self[1]) end
function future_methods:cancel() return future_cancel(self[1]) end
local FUTURE_MT = { __index = future_methods, __metatable = false, __name = "Future" }

local p_async, p_async_with, p_call_with = P.funcs_async, P.funcs_async_with, blocking(P.funcs_call_with)

local function future_of(ch, err)
    if ch == RAISE then error(err, 3) end
    if ch == nil then return nil, err end
    return setmetatable({ ch }, FUTURE_MT), nil
end

-- An executor: calls with a request context (with_context, merged over the caller's) and options (timeout, in ms).
-- Each method gives a new executor, so a base one can be reused.
local EXECUTOR_MT
local function executor(values, timeout) return setmetatable({ values = values, timeout = timeout }, EXECUTOR_MT) end
local executor_methods = {}
function executor_methods:with_context(values)
    if type(values) ~= "table" then error("bad argument #1 to 'with_context' (table expected, got " .. type(values) .. ")", 2) end
    local merged = {}
    for k, v in pairs(self.values) do merged[k] = v end
    for k, v in pairs(values) do
        if type(k) ~= "string" then error("bad argument #1 to 'with_context' (context keys must be strings)", 2) end
        merged[k] = v
    end
    return executor(merged, self.timeout), nil
end
function executor_methods:with_options(options)
    if type(options) ~= "table" then error("bad argument #1 to 'with_options' (table expected, got " .. type(options) .. ")", 2) end
    return executor(self.values, options.timeout or self.timeout), nil
end
function executor_methods:with_actor()
    return nil, new_error("security actors are not available in Wisp", "Unavailable", false, nil)
end
function executor_methods:with_scope()
    return nil, new_error("security scopes are not available in Wisp", "Unavailable", false, nil)
end
function executor_methods:call(target, ...) return p_call_with(self.values, self.timeout, target, ...) end
function executor_methods:async(target, ...) return future_of(p_async_with(self.values, self.timeout, target, ...)) end
EXECUTOR_MT = { __index = executor_methods, __metatable = false, __name = "funcs.Executor" }

local funcs_lib = {
    call = blocking(P.funcs_call),
    async = function(target, ...) return future_of(p_async(target, ...)) end,
    new = function() return executor({}, nil) end,
}

-- ctx: the request context this process was called or spawned with.
local ctx_lib = { get = wrap(P.ctx_get), all = wrap(P.ctx_all) }

---------------------------------------------------------------------------------------------------------------
-- the environment of a process: globals, copy-on-write libraries, require
---------------------------------------------------------------------------------------------------------------

-- Modules every Lua entry has without listing them; the others must be in the entry's modules.
local AMBIENT = {
    process = process_lib, channel = channel_lib, payload = payload_lib, errors = errors_lib,
    string = string_lib, table = table_lib, math = math_lib, os = os_lib, coroutine = coroutine_lib,
}
local json_lib = {
    encode = wrap(P.json_encode), decode = wrap(P.json_decode),
    validate = wrap(P.json_validate), validate_string = wrap(P.json_validate_string),
}

-- registry: the node's entries as a versioned registry; snapshots, changesets and versions hold a version id.
local reg_get, reg_find, reg_entries, reg_current, reg_versions, reg_apply, reg_apply_version =
    wrap(P.reg_get), wrap(P.reg_find), wrap(P.reg_entries), wrap(P.reg_current), wrap(P.reg_versions),
    wrap(P.reg_apply), wrap(P.reg_apply_version)
local VERSION_MT, SNAPSHOT_MT, CHANGES_MT
local function version_of(id) return setmetatable({ id }, VERSION_MT) end
local function version_id(v) if type(v) == "table" then return v[1] end return v end
local function snapshot_of(id) return setmetatable({ id }, SNAPSHOT_MT) end

local version_methods = {}
function version_methods:id() return self[1] end
function version_methods:string() return tostring(self[1]) end
function version_methods:previous() if self[1] > 1 then return version_of(self[1] - 1) end end
function version_methods:next() if self[1] < #reg_versions() then return version_of(self[1] + 1) end end
VERSION_MT = { __index = version_methods, __tostring = function(v) return tostring(v[1]) end,
    __eq = function(a, b) return a[1] == b[1] end, __metatable = false, __name = "registry.Version" }

local snapshot_methods = {}
function snapshot_methods:entries() return reg_entries(self[1]) end
function snapshot_methods:get(id) return reg_get(id, self[1]) end
function snapshot_methods:find(filter) return (reg_find(filter, self[1])) end
function snapshot_methods:namespace(ns) return (reg_entries(self[1], ns)) end
function snapshot_methods:version() return version_of(self[1]) end
function snapshot_methods:changes() return setmetatable({ self[1], {} }, CHANGES_MT) end
SNAPSHOT_MT = { __index = snapshot_methods, __metatable = false, __name = "registry.Snapshot" }

local changes_methods = {}
local function add_op(changes, op) local ops = changes[2]; ops[#ops + 1] = op; return changes end
function changes_methods:create(entry) return add_op(self, { kind = "entry.create", entry = entry }) end
function changes_methods:update(entry) return add_op(self, { kind = "entry.update", entry = entry }) end
function changes_methods:delete(id) return add_op(self, { kind = "entry.delete", id = id }) end
function changes_methods:ops()
    local copy = {}
    for i, op in ipairs(self[2]) do copy[i] = op end
    return copy
end
function changes_methods:apply()
    local v, err = reg_apply(self[2])
    if v == nil then return nil, err end
    return version_of(v), nil
end
CHANGES_MT = { __index = changes_methods, __metatable = false, __name = "registry.Changes" }

-- The version id v stands for, or nil and the error if there is no such version.
local function existing(v)
    local id = version_id(v)
    if type(id) ~= "number" or id < 1 or id > #reg_versions() then
        return nil, new_error("version not found: " .. tostring(id), "NotFound", false, nil)
    end
    return id
end

local function snapshot_at(v)
    local id, err = existing(v)
    if id == nil then return nil, err end
    return snapshot_of(id), nil
end

local function all_versions()
    local list = {}
    for i, id in ipairs(reg_versions()) do list[i] = version_of(id) end
    return list, nil
end

-- Whether two plain values (an entry's meta or data) are the same, tables compared by content.
local function same(a, b)
    if a == b then return true end
    if type(a) ~= "table" or type(b) ~= "table" then return false end
    for k, v in pairs(a) do if not same(v, b[k]) then return false end end
    for k in pairs(b) do if a[k] == nil then return false end end
    return true
end

-- The operations that turn the entries `from` into `to`, by id: a create for an id only in `to`, an update for one
-- whose kind, meta or data differ, a delete for one only in `from`.
local function build_delta(from, to)
    if type(from) ~= "table" or type(to) ~= "table" then
        return nil, new_error("build_delta: from and to must be lists of entries", "Invalid", false, nil)
    end
    local before, after, ids = {}, {}, {}
    for _, e in ipairs(from) do before[e.id] = e; ids[#ids + 1] = e.id end
    for _, e in ipairs(to) do
        if before[e.id] == nil then ids[#ids + 1] = e.id end
        after[e.id] = e
    end
    table_lib.sort(ids)
    local ops = {}
    for _, id in ipairs(ids) do
        local old, new = before[id], after[id]
        if old == nil then ops[#ops + 1] = { kind = "entry.create", entry = new }
        elseif new == nil then ops[#ops + 1] = { kind = "entry.delete", entry = old, id = id }
        elseif old.kind ~= new.kind or not same(old.meta, new.meta) or not same(old.data, new.data) then
            ops[#ops + 1] = { kind = "entry.update", entry = new }
        end
    end
    return ops, nil
end

local registry_lib = {
    build_delta = build_delta,
    get = function(id) return reg_get(id) end,
    find = function(filter) return reg_find(filter) end,
    parse_id = function(id)
        if type(id) ~= "string" then error("bad argument #1 to 'parse_id' (string expected, got " .. type(id) .. ")", 2) end
        local ns, name = string_lib.match(id, "^(.*):([^:]*)$")
        return { ns = ns or "", name = name or id }
    end,
    snapshot = function() return snapshot_of(reg_current()), nil end,
    snapshot_at = snapshot_at,
    current_version = function() return version_of(reg_current()), nil end,
    versions = all_versions,
    apply_version = function(v) return reg_apply_version(version_id(v)) end,
    history = function()
        return {
            versions = function(_) return all_versions() end,
            get_version = function(_, v)
                local id, err = existing(v)
                if id == nil then return nil, err end
                return version_of(id), nil
            end,
            snapshot_at = function(_, v) return snapshot_at(v) end,
        }, nil
    end,
}

-- events: the node's event bus; a subscription holds its channel.
local events_subscribe, events_close = P.events_subscribe, wrap(P.events_close)
local subscription_methods = {}
function subscription_methods:channel() return self[1] end
function subscription_methods:close() return events_close(self[1]) end
local SUBSCRIPTION_MT = { __index = subscription_methods, __metatable = false, __name = "events.Subscription" }
local events_lib = {
    send = wrap(P.events_send),
    subscribe = function(system, kind)
        local ch, err = events_subscribe(system, kind)
        if ch == RAISE then error(err, 2) end
        if ch == nil then return nil, err end
        return setmetatable({ ch }, SUBSCRIPTION_MT), nil
    end,
}

local MODULES = { time = time_lib, io = io_lib, logger = logger_lib, funcs = funcs_lib, json = json_lib, events = events_lib, registry = registry_lib, ctx = ctx_lib }

local PROXY_MT = {}
for name, lib in pairs(AMBIENT) do
    PROXY_MT[name] = {
        __index = lib,
        __newindex = function(view, key, value)   -- the first write gives the process its own copy
            for k, v in next, lib do rawset(view, k, v) end
            raw_setmetatable(view, nil)
            rawset(view, key, value)
            if lib == string_lib then P.string_changed(view) end
        end,
        __pairs = function(view) return next, lib, nil end,
        __len = function() return #lib end,
        __metatable = false,
    }
end
for name, lib in pairs(MODULES) do
    if getmetatable(lib) == nil then
        PROXY_MT[name] = {
            __index = lib,
            __newindex = function(view, key, value)
                for k, v in next, lib do rawset(view, k, v) end
                raw_setmetatable(view, nil)
                rawset(view, key, value)
            end,
            __pairs = function(view) return next, lib, nil end,
            __metatable = false,
        }
    end
end

local function view_of(name)
    if name == "logger" then return new_logger(nil, nil) end   -- an object, not a table of functions: one per process
    return setmetatable({}, PROXY_MT[name])
end

local BASE, global_in

-- rec: the record of a process (made by C#), or of a library a process loaded (made by load_library): its
-- environment, the modules it may require, its imports (alias -> library record) and the modules it has loaded.
local require_in

local LOADING = {}

-- A library (a library.lua entry an import names): run once per process, in an environment of its own with its own
-- modules and imports; what its chunk returns (true if nothing) is what require gives every importer in the process.
local function load_library(rec, name, lib)
    local proc = rec.process or rec
    local libs = proc.libs
    if libs == nil then libs = {}; proc.libs = libs end
    local m = libs[lib]
    if m == LOADING then return nil, "loop or previous error loading module '" .. name .. "'" end
    if m ~= nil then return m end
    libs[lib] = LOADING
    local lrec = { process = proc, entry = lib.entry, allowed = lib.allowed, imports = lib.imports, loaded = {} }
    local env = {}
    lrec.env = env
    rawset(env, "require", function(n)
        local r, err = require_in(lrec, n)
        if err then error(err, 2) end
        return r
    end)
    setmetatable(env, {
        __index = function(_, key)
            local v = rawget(BASE, key)
            if v ~= nil then return v end
            return global_in(lrec, key)
        end,
        __metatable = false,
    })
    m = lib.factory(env)
    if m == nil then m = true end
    libs[lib] = m
    return m
end

-- What require(name) gives code running for rec: an import, an ambient module, or a module rec may use.
require_in = function(rec, name)
    if type(name) ~= "string" then
        return nil, "bad argument #1 to 'require' (string expected, got " .. type(name) .. ")"
    end
    local loaded = rec.loaded
    local m = loaded[name]
    if m ~= nil then return m end
    local imports = rec.imports
    local lib = imports and imports[name]
    if lib then
        local err
        m, err = load_library(rec, name, lib)
        if m == nil then return nil, err end
    elseif AMBIENT[name] then
        m = rawget(rec.env, name)
        if m == nil then m = view_of(name); rawset(rec.env, name, m) end
    elseif MODULES[name] then
        if not rec.allowed[name] then
            return nil, "module '" .. name .. "' is not allowed: add it to the modules of " .. rec.entry
        end
        m = view_of(name)
    else
        return nil, "module '" .. name .. "' not found (built-in modules: time, io, logger, funcs, json, events, registry, ctx, and the ambient " ..
            "process, channel, payload, errors; or an alias in the entry's imports)"
    end
    loaded[name] = m
    return m
end

local function require(name)
    local m, err = require_in(CUR[1], name)
    if err then error(err, 2) end
    return m
end

-- A finalizer would run at a later collection, in whichever process's slice the collector runs (as that process, with
-- hooks off, so no preemption), so a metatable's __gc is ignored, as in the reference, whose Lua has none. Lua marks an
-- object for finalization when its metatable is set, by the metatable's own field; the checks are the standard
-- function's, made here so that its errors name the caller's line.
local function sandboxed_setmetatable(t, mt)
    if type(t) ~= "table" then
        error("bad argument #1 to 'setmetatable' (table expected, got " .. (t == nil and "no value" or type(t)) .. ")", 2)
    end
    if mt ~= nil and type(mt) ~= "table" then
        error("bad argument #2 to 'setmetatable' (nil or table expected, got " .. type(mt) .. ")", 2)
    end
    local current = raw_getmetatable(t)
    if current ~= nil and rawget(current, "__metatable") ~= nil then error("cannot change a protected metatable", 2) end
    local gc = mt and rawget(mt, "__gc")
    if gc == nil then return setmetatable(t, mt) end
    rawset(mt, "__gc", nil)
    setmetatable(t, mt)
    rawset(mt, "__gc", gc)
    return t
end

-- A message handler runs where Lua cannot yield, and, for the error by which the watchdog ends a slice, with hooks
-- off (Native/Preemption.cs): while a slice is ending, the error passes without it.
local ending = P.ending
local function sandboxed_xpcall(f, handler, ...)
    if type(handler) ~= "function" then return xpcall(f, handler, ...) end
    return xpcall(f, function(e)
        if ending() then return e end
        return handler(e)
    end, ...)
end

BASE = {
    assert = assert, error = error, getmetatable = getmetatable, ipairs = ipairs, next = next, pairs = pairs,
    pcall = pcall, rawequal = rawequal, rawget = rawget, rawset = rawset, select = select,
    setmetatable = sandboxed_setmetatable, tonumber = tonumber, tostring = tostring, type = type, xpcall = sandboxed_xpcall,
    _VERSION = _VERSION, unpack = table.unpack, require = require, print = P.print,
}

-- A global that code running for rec has not set: its own view of an ambient library, then a module it may use.
global_in = function(rec, key)
    local env = rec.env
    if key == "_G" then rawset(env, "_G", env); return env end
    if AMBIENT[key] then
        local view = view_of(key)
        rawset(env, key, view)
        return view
    end
    if MODULES[key] and rec.allowed[key] then
        local m = require_in(rec, key)
        rawset(env, key, m)
        return m
    end
    return nil
end

setmetatable(BASE, {
    __index = function(_, key)
        local rec = CUR[1]
        if rec == nil then return nil end
        return global_in(rec, key)
    end,
})

local ENV_MT = { __index = BASE, __metatable = false }

-- Lua 5.1-era functions the reference runtime offers.
table_lib.getn = function(t) return #t end
table_lib.maxn = function(t)
    local max = 0
    for k in pairs(t) do if type(k) == "number" and k > max then max = k end end
    return max
end
math_lib.pow = function(x, y) return x ^ y end
math_lib.log10 = function(x) return math_lib.log(x, 10) end
math_lib.atan2 = function(y, x) return math_lib.atan(y, x) end
math_lib.mod = math_lib.fmod
math_lib.cosh = function(x) return (math_lib.exp(x) + math_lib.exp(-x)) / 2 end
math_lib.sinh = function(x) return (math_lib.exp(x) - math_lib.exp(-x)) / 2 end
math_lib.tanh = function(x) local a, b = math_lib.exp(x), math_lib.exp(-x); return (a - b) / (a + b) end
math_lib.ldexp = function(m, e) return m * 2.0 ^ e end
math_lib.frexp = P.frexp
math_lib.randomseed = function() end
string_lib.dump = nil
string_lib.gfind = string_lib.gmatch
os_lib.time = wrap(P.os_time)
os_lib.date = wrap(P.os_date)
os_lib.clock = P.os_clock
os_lib.platform = "wisp"
-- The string metatable is shared by every process of the shard: nobody may change it (Wisp points its __index
-- at a process's own string library when the process has changed it).
getmetatable("").__metatable = false

---------------------------------------------------------------------------------------------------------------
-- starting a process: its environment, its script's top level, then its method with the spawn arguments
---------------------------------------------------------------------------------------------------------------

local function method_not_found(method)
    return new_error('method "' .. method .. '" not found in module', "NotFound", false, nil)
end

-- rec: the process's record (made by C#, anchored in the registry); allowed: the modules its entry lists;
-- imports: alias -> library record ({entry, factory, allowed, imports}), or nil; factory: the script compiled as
-- function(_ENV, ...); then the method's name, whether only to check that the script loads and has it (at spawn,
-- in the validation state), and the spawn arguments.
local function start(rec, entry, allowed, imports, factory, method, check_only, ...)
    local env = setmetatable({}, ENV_MT)
    rec.env = env
    rec.loaded = {}
    rec.allowed = allowed
    rec.imports = imports
    rec.entry = entry
    local module = factory(env)
    local f
    if type(module) == "function" then f = module
    elseif type(module) == "table" then f = module[method] end
    if type(f) ~= "function" then error(method_not_found(method), 0) end
    if check_only then return true end
    return f(...)
end

return {
    BASE = BASE,
    ENV_MT = ENV_MT,
    CUR = CUR,
    start = start,
    MESSAGE_MT = MESSAGE_MT,
    PAYLOAD_MT = PAYLOAD_MT,
    ERROR_MT = ERROR_MT,
    CHANNEL_MT = CHANNEL_MT,
    TIMER_MT = TIMER_MT,
    TICKER_MT = TICKER_MT,
    TIME_MT = TIME_MT,
    DURATION_MT = DURATION_MT,
    LOCATION_MT = LOCATION_MT,
    REAL_STRING = string_lib,
}
