-- payload: new, get_format, data, unmarshal, transcode to every format and back, payloads across processes, and
-- every documented error (Internal, not retryable).
local funcs = require("funcs")
local F = payload.format
local check = require("check")
local eq, raises = check.eq, check.raises

-- The same plain value (tables compared by content).
local function same(a, b)
    if type(a) ~= "table" or type(b) ~= "table" then return a == b and math.type(a) == math.type(b) end
    for k, v in pairs(a) do if not same(v, b[k]) then return false end end
    for k in pairs(b) do if a[k] == nil then return false end end
    return true
end

local function fails(p, format, message)
    local out, err = p:transcode(format)
    eq(out, nil, "no payload when transcoding to " .. tostring(format) .. " fails")
    eq(tostring(err), message, "the error")
    eq(err:kind(), errors.INTERNAL, "a transcoding failure is internal")
    eq(err:retryable(), false, "and not retryable")
    return err
end

return { main = function()
    eq(F.JSON, "json/plain", "JSON")
    eq(F.YAML, "yaml/plain", "YAML")
    eq(F.STRING, "text/plain", "STRING")
    eq(F.BYTES, "application/octet-stream", "BYTES")
    eq(F.MSGPACK, "application/msgpack", "MSGPACK")
    eq(F.LUA, "lua/any", "LUA")
    eq(F.GOLANG, "golang/any", "GOLANG")
    eq(F.ERROR, "golang/error", "ERROR")

    -- new, get_format, data, unmarshal
    local doc = { name = "test", value = 123, ratio = 2.5, on = true, tags = { "a", "b" }, nested = { deep = { 1, 2, 3 } } }
    local p = payload.new(doc)
    eq(p:get_format(), F.LUA, "a new payload is Lua's")
    assert(rawequal(p:data(), doc), "data() of a Lua payload is the value itself")
    assert(rawequal(p:unmarshal(), doc), "so is unmarshal()")
    eq(tostring(p), "payload{format=lua/any}", "tostring")
    eq(select("#", p:data()), 1, "data() gives one result (it can be a whole argument list)")
    eq(select("#", p:unmarshal()), 1, "so does unmarshal()")
    eq(payload.new("hello"):data(), "hello", "a string")
    eq(payload.new(42.5):data(), 42.5, "a number")
    eq(payload.new(false):data(), false, "a boolean")
    eq(payload.new(nil):data(), nil, "nil")
    local boom = errors.new("something failed")
    local ep = payload.new(boom)
    eq(ep:get_format(), F.ERROR, "an error's payload")
    assert(rawequal(ep:data(), boom), "holds the error")

    -- to Lua's own and the host's value formats
    assert(rawequal(p:transcode(F.LUA), p), "transcoding to its own format gives the payload")
    local gp = p:transcode(F.GOLANG)
    eq(gp:get_format(), F.GOLANG, "golang/any")
    assert(rawequal(gp:data(), doc), "holds the same value")
    eq(gp:transcode(F.LUA):get_format(), F.LUA, "and back")

    -- JSON, YAML, MessagePack: each round trip keeps the value (integers integers, floats floats)
    for _, format in ipairs({ F.JSON, F.YAML, F.MSGPACK }) do
        local t, err = p:transcode(format)
        eq(err, nil, format .. " transcodes")
        eq(t:get_format(), format, "its format")
        eq(tostring(t), "payload{format=" .. format .. "}", "its tostring")
        local back = t:data()
        assert(same(back, doc), format .. " round trip")
        assert(not rawequal(back, doc), format .. " data is decoded, not the original table")
        assert(same(t:unmarshal(), doc), format .. " unmarshal")
        eq(select("#", t:data()), 1, format .. " data() gives one result")
        eq(select("#", t:unmarshal()), 1, format .. " unmarshal() gives one result")
        local lua_again = t:transcode(F.LUA)
        eq(lua_again:get_format(), F.LUA, format .. " to Lua")
        assert(same(lua_again:data(), doc), format .. " to Lua keeps the value")
    end
    eq(math.type(p:transcode(F.MSGPACK):data().ratio), "float", "MessagePack keeps a float a float")
    eq(math.type(payload.new({ x = 10 / 2 }):transcode(F.MSGPACK):data().x), "float", "even an integral one")
    eq(math.type(payload.new({ x = 10 / 2 }):transcode(F.JSON):data().x), "integer", "JSON writes an integral float as an integer")
    eq(math.type(payload.new({ x = 10 / 2 }):transcode(F.YAML):data().x), "integer", "so does YAML (Go's shortest form)")
    assert(same(payload.new({}):transcode(F.JSON):data(), {}), "an empty table")
    assert(same(payload.new({ s = "123", t = "true", e = "", n = "null", x = "a: b" }):transcode(F.YAML):data(),
        { s = "123", t = "true", e = "", n = "null", x = "a: b" }), "YAML keeps strings that look like other values strings")
    eq(payload.new("\0\1\255"):transcode(F.YAML):data(), "\0\1\255", "YAML keeps a byte string")
    eq(payload.new("\0\1\255"):transcode(F.MSGPACK):data(), "\0\1\255", "so does MessagePack")
    eq(payload.new(7):transcode(F.JSON):data(), 7, "a bare number")
    eq(payload.new(nil):transcode(F.YAML):data(), nil, "nil")
    assert(same(payload.new({ [1] = "a", [2] = "b", x = 1 }):transcode(F.YAML):data(), { ["1"] = "a", ["2"] = "b", x = 1 }),
        "keys come back as their text, as the reference gives them")

    -- text and bytes: a string as it is, other values as the reference's Go writes them (%v)
    for _, format in ipairs({ F.STRING, F.BYTES }) do
        eq(payload.new("hello"):transcode(format):data(), "hello", format .. " of a string")
        eq(payload.new("\0\1\255"):transcode(format):data(), "\0\1\255", format .. " of bytes")
        eq(payload.new(42):transcode(format):data(), "42", format .. " of an integer")
        eq(payload.new(2.5):transcode(format):data(), "2.5", format .. " of a float")
        eq(payload.new(10 / 2):transcode(format):data(), "5", format .. " of an integral float")
        eq(payload.new(1e6):transcode(format):data(), "1e+06", format .. " of a large float")
        eq(payload.new(0.00001):transcode(format):data(), "1e-05", format .. " of a small float")
        eq(payload.new(123456.0):transcode(format):data(), "123456", format .. " below the exponent")
        eq(payload.new(true):transcode(format):data(), "true", format .. " of a boolean")
        eq(payload.new(nil):transcode(format):data(), "", format .. " of nil")
        eq(payload.new({ 1, 2, 3 }):transcode(format):data(), "[1 2 3]", format .. " of a list")
        eq(payload.new({ b = 2, a = "x", c = { 1.5, true } }):transcode(format):data(), "map[a:x b:2 c:[1.5 true]]", format .. " of a map")
        eq(payload.new({}):transcode(format):data(), "map[]", format .. " of an empty table")
    end
    eq(payload.new("x"):transcode(F.STRING):transcode(F.JSON):data(), "x", "text to JSON goes through the Lua string")
    eq(p:transcode(F.JSON):transcode(F.STRING):data(),
        "map[name:test nested:map[deep:[1 2 3]] on:true ratio:2.5 tags:[a b] value:123]", "JSON to text goes through the Lua value")
    assert(same(p:transcode(F.JSON):transcode(F.YAML):transcode(F.MSGPACK):data(), doc), "JSON to YAML to MessagePack")

    -- payloads across processes: a message keeps its format; arguments and results arrive decoded
    local json_p = p:transcode(F.JSON)
    assert(process.send(process.pid(), "encoded", json_p, p:transcode(F.YAML), { inner = p:transcode(F.MSGPACK) }))
    local parts = process.inbox():receive():payload()
    eq(parts[1]:get_format(), F.JSON, "a JSON payload arrives as JSON")
    assert(same(parts[1]:data(), doc), "with its value")
    eq(parts[2]:get_format(), F.YAML, "YAML as YAML")
    assert(same(parts[2]:data(), doc), "with its value")
    eq(parts[3]:get_format(), F.LUA, "a table holding a payload is a Lua value")
    assert(same(parts[3]:data().inner, doc), "and the payload inside it arrives decoded")
    local got = funcs.call("app:payload_received", json_p)
    eq(got.kind, "table", "a function's argument arrives decoded")
    assert(same(got.x, doc), "into its value")
    assert(same(funcs.call("app:payload_encoded", F.MSGPACK), { n = 1, list = { "a", "b" } }), "a call's result arrives decoded")
    local result = funcs.async("app:payload_encoded", F.YAML):response():receive()
    eq(result:get_format(), F.YAML, "a future's result is the function's payload, in its format")
    assert(same(result:data(), { n = 1, list = { "a", "b" } }), "with its value")

    -- errors
    local err = fails(p, "application/xml", "no transcoding path found from lua/any to application/xml")
    eq(err:details().from, "lua/any", "details: from")
    eq(err:details().to, "application/xml", "details: to")
    fails(json_p, "application/xml", "no transcoding path found from json/plain to application/xml")
    fails(ep, F.JSON, "no transcoding path found from golang/error to json/plain")
    fails(ep, F.LUA, "no transcoding path found from golang/error to lua/any")
    fails(p, F.ERROR, "no transcoding path found from lua/any to golang/error")
    fails(payload.new({ f = print }), F.JSON, "error transcoding from lua/any to json/plain: failed to encode to JSON: cannot encode function to JSON")
    err = fails(payload.new({ 1, nil, 3 }), F.JSON, "error transcoding from lua/any to json/plain: failed to encode to JSON: cannot encode sparse array")
    eq(err:details().cause, "failed to encode to JSON: cannot encode sparse array", "details: cause")
    local cycle = {}
    cycle.self = cycle
    fails(payload.new(cycle), F.YAML, "error transcoding from lua/any to yaml/plain: failed to marshal to YAML: a table that contains itself cannot be written as YAML")
    fails(payload.new(cycle), F.MSGPACK, "error transcoding from lua/any to application/msgpack: failed to encode to MsgPack: payload: a value that contains itself cannot be encoded")
    fails(payload.new(cycle), F.STRING, "error transcoding from lua/any to text/plain: failed to convert to text: a table that contains itself has no text")
    raises(p.transcode, "bad argument #2 to 'transcode' (string expected, got nil)", p)
    raises(p.transcode, "bad argument #2 to 'transcode' (string expected, got table)", p, {})
    raises(p.data, "bad argument #1 to 'data' (payload expected, got table)", { 1, "lua/any" })
    raises(p.unmarshal, "bad argument #1 to 'unmarshal' (payload expected, got nil)")
    raises(p.get_format, "bad argument #1 to 'get_format' (payload expected, got string)", "x")
    raises(p.transcode, "bad argument #1 to 'transcode' (payload expected, got number)", 1, F.JSON)
end }
