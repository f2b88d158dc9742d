-- What calling a type and Type:is(v) check, and the reference's messages: records (their fields by name), optional
-- fields, validators (@min, @max, @min_len, @max_len, @pattern) on fields, array elements and union members,
-- nested paths, maps, literals, intersections, generics, and the errors of calling a type wrongly. Annotations on
-- locals are not checked at run time, as in the reference.
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

type User = {name: string, age: number}
type Config = {host: string, port: number, timeout?: number}
type Scored = {
    score: number @min(0) @max(100),
    name: string @min_len(1) @max_len(5)
}
type Email = string @pattern("^.+@.+$")
type Id = number @min(1) | string @min_len(1)
type Scores = {number @min(0) @max(100)}
type Team = {lead: User, members: {User}}
type Tags = {[string]: string}
type Status = "pending" | "active" | "done"
type Flag = true
type Named = {name: string}
type Aged = {age: number}
type Person = Named & Aged
type Box<T> = {value: T}
type Wrapper = {err: error?}
type Temperature = number @min(-273.15)

-- Type:is(v): the message of its error, or "ok"
local function check(t, v)
    local value, err = t:is(v)
    if err == nil then
        assert(rawequal(value, v), "is gives the value back")
        return "ok"
    end
    assert(value == nil, "no value with an error")
    assert(errors.is(err, errors.INVALID), "an Invalid error")
    return err:message()
end

-- t(...), or the error it raises without its position (the line of the call)
local function call(t, ...)
    local ok, err = pcall(function(...) local r = t(...) return r end, ...)
    if ok then return "ok" end
    local message = tostring(err)
    local where = message:match("^(types_checks%.lua:%d+: )")
    assert(where, "the error has the caller's position: " .. message)
    return message:sub(#where + 1)
end

return { main = function()
    eq(check(User, { name = "a", age = 1 }), "ok", "a User")
    eq(check(User, { name = "a" }), "age: required field missing", "a missing field")
    eq(check(User, { name = 1, age = 2 }), "name: expected string, got number", "a wrong field")
    eq(check(User, { name = 1, age = "x" }), "age: expected number, got string", "fields are checked by name")
    eq(check(User, "x"), "expected {age: number, name: string}, got string", "not a table")
    eq(check(User, nil), "expected {age: number, name: string}, got nil", "nil")
    local _, err = User:is({ name = "a" })
    local details = err:details()
    eq(details.field .. " " .. details.expected .. " " .. details.got, "age number nil", "the error's details")

    eq(check(Config, { host = "h", port = 1 }), "ok", "an optional field may be absent")
    eq(check(Config, { host = "h", port = 1, timeout = "x" }), "timeout: expected number, got string", "but is checked")

    eq(check(Scored, { score = 50, name = "abc" }), "ok", "within the validators")
    eq(check(Scored, { score = -1, name = "a" }), "score: value below minimum", "@min")
    eq(check(Scored, { score = 101, name = "a" }), "score: value above maximum", "@max")
    eq(check(Scored, { score = 5, name = "" }), "name: length below minimum", "@min_len")
    eq(check(Scored, { score = 5, name = "abcdef" }), "name: length above maximum", "@max_len")
    _, err = Scored:is({ score = -1, name = "a" })
    details = err:details()
    eq(details.constraint .. " " .. details.got .. " " .. details.expected, "min -1 0", "a validator's details")

    eq(check(Email, "a@b.c"), "ok", "@pattern")
    eq(check(Email, "nobody"), "pattern mismatch", "@pattern mismatched")
    eq(check(Temperature, -300), "value below minimum", "a negative bound")
    eq(check(Id, 1), "ok", "a union member with validators")
    eq(check(Id, "x"), "ok", "the other member")
    eq(check(Id, 0), "expected number @min(1) | string @min_len(1), got number", "no member matches")
    eq(check(Scores, { 85, 90 }), "ok", "array elements with validators")
    eq(check(Scores, { 85, 101 }), "[2]: value above maximum", "an element's path")

    eq(check(Team, { lead = { name = "a", age = 1 }, members = { { name = "b", age = 2 } } }), "ok", "nested records")
    eq(check(Team, { lead = { age = 1 }, members = {} }), "lead.name: required field missing", "a nested path")
    eq(check(Team, { lead = { name = "a", age = 1 }, members = { { name = "b", age = "x" } } }),
        "members[1].age: expected number, got string", "through an array")
    eq(check(Tags, { a = "x" }), "ok", "a map")
    eq(check(Tags, { a = "x", b = 1 }), ".b: expected string, got number", "a map's value, at the path the reference gives")

    eq(check(Status, "done"), "ok", "a literal union")
    eq(check(Status, "gone"), 'expected "pending" | "active" | "done", got string', "not one of them")
    eq(check(Flag, false), "expected true, got boolean", "a boolean literal")
    eq(check(Person, { name = "a", age = 1 }), "ok", "an intersection")
    eq(check(Person, { name = "a" }), "age: required field missing", "each of its members")
    eq(check(Integer, 2.0), "ok", "an integral float is an integer")
    eq(check(Integer, 2.5), "expected integer, got number", "a fraction is not")
    eq(check(Box(String), { value = "v" }), "ok", "an instance of a generic")
    eq(check(Box(String), { value = 1 }), "value: expected string, got number", "checks with its arguments")
    eq(check(Box, { value = 1 }), "expected Box<T>, got table", "a generic itself matches nothing")
    eq(check(Wrapper, {}), "ok", "an optional field of a type the reference does not know at run time")
    eq(check(Wrapper, { err = "x" }), "err: unresolved type error", "is unresolved when present")

    eq(call(User, { name = "a", age = 1 }), "ok", "calling a type")
    eq(call(User, { name = "a" }), "expected User, got table", "calling a type with a wrong value")
    eq(call(Scored, { score = 500, name = "a" }), "expected Scored, got table", "validators count")
    eq(call(integer, 1.5), "expected integer, got number", "integer(x)")
    eq(call(function(v) local s = string(v) return s end, 42), "expected string, got number", "string(x) does not convert")
    eq(call(User), "type User expects at least 1 argument", "no argument")
    eq(call(User, 1, 2), "type User validation expects 1 value, got 2", "two values")
    eq(call(User, String), "type User is not generic", "types for a type that is not generic")
    eq(call(Box, String, Number), "generic Box expects 1 type arguments, got 2", "too many type arguments")
    eq(call(Box, String, 1), "type Box does not accept mixed type/value arguments", "types and values")

    -- annotations on locals are erased: not checked at run time
    local negative: number @min(0) = -1
    local wrong: string = 42 :: any
    eq(negative + wrong, 41, "annotated locals are not checked")
end }
