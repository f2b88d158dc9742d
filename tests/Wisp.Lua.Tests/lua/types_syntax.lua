-- The typed dialect's syntax (the reference's en/lua/types.md), every construct in running code: annotations,
-- casts and '!' change nothing at run time, declarations become values, and plain Lua that looks like the dialect
-- (a local named as, type(x), labels, attributes) keeps its meaning.
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

type Status = "pending" | "active" | "done"
type User = {name: string, age: number}
type Config = {
    host: string,
    port: number,
    timeout?: number,
    debug?: boolean
}
type Result<T, E> =
    {ok: true, value: T}
    | {ok: false, error: E}
type HasName = {name: string}
type Named = {name: string}
type Aged = {age: number}
type Person = Named & Aged
type StringArray = {string}
type StringMap = {[string]: number}
type LoadState =
    {status: "loading"}
    | {status: "loaded", data: User}
    | {status: "error", message: string}

interface Greeter: HasName
    function greet(self: Greeter, other: string): string
end

local function add(a: number, b: number): number
    return a + b
end

local function div_mod(a: number, b: number): (number, number)
    return math.floor(a / b), a % b
end

local function fetch(url: string): (string?, error?)
    if url == "" then return nil, errors.new("no url") end
    return "data from " .. url, nil
end

local double: (number) -> number = function(x: number): number
    return x * 2
end

local function sum(...: number): number
    local total: number = 0
    for _, v in ipairs({...}) do
        total = total + v
    end
    return total
end

local function identity<T>(x: T): T
    return x
end

local function greet<T: HasName>(obj: T): string
    return "Hello, " .. obj.name
end

local function render(state: LoadState): string
    if state.status == "loading" then
        return "Loading..."
    elseif state.status == "loaded" then
        return "Hello, " .. state.data.name
    elseif state.status == "error" then
        return "Error: " .. state.message
    end
    return "?"
end

function fail(msg: string): never
    error(msg)
end

local function process_value(x: number?): number
    if x ~= nil then
        return x
    end
    return 0
end

local function first<T>(arr: {T}): T?
    return arr[1]
end

-- Lua 5.4 and plain Lua that look like the dialect
local function plain()
    local as = 2
    local type_of = type(as)
    local t = { type = "record", as = as }
    t.type = t.type .. "!"
    local count <const> = 3
    local n = 0
    ::again::
    n = n + 1
    if n < count then goto again end
    local msg = "a:b" .. [[ :: number ]] --[==[ local x: number ]==]
    return as, type_of, t.type, n, msg
end

return { main = function()
    local n: number = 3.14
    local i: integer = 42
    local s: string = "hello"
    local b: boolean = true
    local a: any = "anything"
    local u: unknown = a
    local y: number? = nil
    local z: number? = 42
    local val: number | string = "v"
    local st: Status = "pending"
    eq(i + 1, 43, "locals with types")
    assert(n > 3, "a number")
    eq(s .. tostring(b) .. a .. u .. tostring(y) .. z .. val .. st, "hellotrueanythinganythingnil42vpending", "more locals")

    eq(add(1, 2), 3, "typed parameters and return")
    local q, r = div_mod(7, 2)
    eq(q * 10 + r, 31, "two returns")
    local data, err = fetch("x")
    eq(data, "data from x", "an optional return")
    eq(err, nil, "no error")
    eq(select(2, fetch("")):message(), "no url", "an error return")
    eq(double(21), 42, "a function-typed local")
    eq(sum(1, 2, 3), 6, "a typed vararg")
    eq(identity(42), 42, "a generic function")
    eq(identity("hello"), "hello", "a generic function again")
    eq(greet({ name = "Alice" }), "Hello, Alice", "a constrained generic")
    eq(render({ status = "loaded", data = { name = "Bob", age = 3 } }), "Hello, Bob", "a tagged union")
    eq(render({ status = "error", message = "boom" }), "Error: boom", "another variant")
    local ok, why = pcall(fail, "failed")
    eq(ok, false, "never returns")
    assert(tostring(why):find("failed", 1, true), "its error")
    eq(process_value(nil) + process_value(5), 5, "narrowing")
    eq(first({ 7, 8 }), 7, "a generic with an array parameter")

    local cfg: Config = { host = "localhost", port = 8080 }
    local p: Person = { name = "Alice", age = 30 }
    local arr: StringArray = { "a" }
    local map: StringMap = {}
    local res: Result<number, string> = { ok = true, value = 1 }
    eq(cfg.port + p.age + #arr + (map.x or 0) + res.value, 8112, "values of declared types")

    -- casts and the non-nil assertion
    local raw: any = { name = "Carol", age = 5 }
    local user = raw :: User
    local same = raw as User
    local name = (user!).name
    local chained = raw as any as User
    local bang = raw!!!
    eq(name .. same.name .. chained.age .. bang.age, "CarolCarol55", "casts change nothing")
    local sumcast = (1 + 2) :: number
    local cast_in_table = { items = {} :: {[string]: string}, n = 1 as integer }
    eq(sumcast + cast_in_table.n, 4, "casts inside expressions and tables")
    eq(-2 as number + 5, 3, "a cast binds before a binary operator")

    local as, type_of, field, loops, msg = plain()
    eq(as, 2, "a local named as")
    eq(type_of, "number", "type(x)")
    eq(field, "record!", "a field named type")
    eq(loops, 3, "labels and goto")
    eq(msg, "a:b :: number ", "long strings and comments keep what looks like annotations")

    -- declarations are values, and so is an interface
    eq(tostring(User), "User", "a declared type is a value")
    eq(tostring(Greeter), "Greeter", "an interface too")
    local g = {}
    eq(Greeter(g), g, "an interface checks for a table")
end }
