-- Types as run-time values (the reference's types.md, "Type Reflection" and "Type Casts"): kinds and names, a
-- record's fields, collection, optional, union and function types through typeof, comparison and subtyping, types
-- as table keys, generics, the primitive globals and the casts string(x), integer(x), boolean(x), number(x).
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

type Point = {x: number, y: number}
type User = {name: string, age: number}
type Status = "pending" | "active" | "done"
type Box<T> = {value: T}
type Age = number @min(0)
type MaybeName = string | nil
type Anything = number | any

local function declares()
    type Later = number   -- every type of a file is the file's: the later Later wins
end
type Later = string

local geometry = require("geometry")

local function collect(iterator, each)
    local out = {}
    for a, b in iterator do out[#out + 1] = each(a, b) end
    return table.concat(out, ",")
end

return { main = function()
    -- kind and name
    eq(Number:kind(), "number", "Number:kind()")
    eq(Point:kind(), "record", "Point:kind()")
    eq(Point:name(), "Point", "Point:name()")
    eq(Integer:name(), "integer", "a primitive's name")
    eq(Status:kind(), "union", "a union")
    eq(Box:kind(), "generic", "a generic")
    eq(Age:kind(), "number", "a type with validators has its type's kind")
    eq(MaybeName:kind(), "optional", "T | nil is T?")
    eq(Anything:kind(), "any", "any absorbs a union")
    eq(tostring(Point), "Point", "tostring of a declared type")
    eq(_G.Point, Point, "a declared type is a global")
    eq(Later:kind(), "string", "of two declarations of a name, the later")
    eq(geometry.make(1, 2).y, 2, "a typed library")
    eq(tostring(geometry.Vector), "Vector", "its types are values its importers can use")
    eq(geometry.kind(), "any", "typeof of a type value is any")
    eq(rawget(_G, "Vector"), nil, "and globals of the library's environment, not of its importer's")

    -- record fields: the reference keeps them in the order of their names
    eq(collect(User:fields(), function(name, t) return name .. ":" .. t:kind() end), "age:number,name:string", "fields")
    eq(User.age:kind(), "number", "a field's type")
    eq(Point.x, Number, "a field's type is a type value")
    eq(type(User.name), "function", "a method comes before a field of the same name, as in the reference")
    eq(User.nothing, nil, "no such field")
    eq(Number:fields(), nil, "no fields but a record's")

    -- collection, optional and function types of annotated locals, through typeof
    local arr: {number} = {1, 2, 3}
    local arrType = typeof(arr)
    eq(arrType:kind(), "array", "an array")
    eq(arrType:elem():kind(), "number", "its element")
    eq(tostring(arrType), "number[]", "as the reference writes it")
    local map: {[string]: number} = {}
    local mapType = typeof(map)
    eq(mapType:key():kind(), "string", "a map's key")
    eq(mapType:val():kind(), "number", "a map's value")
    eq(tostring(mapType), "{[string]: number}", "a map written")
    local opt: number? = nil
    local optType = typeof(opt)
    eq(optType:kind(), "optional", "an optional, though the value is nil")
    eq(optType:inner():kind(), "number", "its inner type")
    eq(tostring(optType), "number?", "an optional written")
    local fn: (number, string) -> boolean
    local fnType = typeof(fn)
    eq(collect(fnType:params(), function(p) return p:kind() end), "number,string", "a function's parameters")
    eq(fnType:ret():kind(), "boolean", "its result")
    eq(tostring(fnType), "fun(number, string) -> boolean", "a function type written")
    local pair: () -> (number, string)
    eq(typeof(pair):ret():kind(), "tuple", "two results are a tuple")
    local rec: {b: string, a?: number}
    eq(tostring(typeof(rec)), "{a?: number, b: string}", "a record written, its fields by name")
    eq(typeof(arr), typeof(arr), "the same static type is the same value")

    -- a union's variants: literal types, whose kind the reference gives as unknown
    eq(collect(Status:variants(), tostring), '"pending","active","done"', "variants")
    eq(collect(Status:variants(), function(v) return v:kind() end), "unknown,unknown,unknown", "a literal's kind")

    -- comparison and subtyping
    eq(Number == Number, true, "Number == Number")
    eq(Integer <= Number, true, "integer is a subtype of number")
    eq(Integer < Number, true, "a strict subtype")
    eq(Number < Number, false, "not a strict subtype of itself")
    eq(Number <= Integer, false, "number is no subtype of integer")
    eq(String == Number, false, "different types")
    eq(Never <= String and String <= Any, true, "never is below, any above every type")
    eq(typeof(opt) == typeof(opt), true, "equal")
    eq(Point.x <= typeof(opt), true, "number is a subtype of number?")

    -- types as table keys
    local handlers = {}
    handlers[Number] = function() return "number handler" end
    handlers[String] = function() return "string handler" end
    eq(handlers[typeof(1.5)](), "number handler", "a float's type")
    eq(handlers[typeof("x")](), "string handler", "a string's type")
    eq(handlers[typeof(1)], nil, "an integer's type is integer")

    -- typeof of values
    eq(typeof(nil), Nil, "nil")
    eq(typeof(true), Boolean, "a boolean")
    eq(typeof(42), Integer, "an integer")
    eq(typeof(4.2), Number, "a float")
    eq(tostring(typeof({})), "table", "a table")
    eq(typeof(print):kind(), "function", "a function")

    -- generics: calling one with types instantiates it
    local IntBox = Box(Integer)
    eq(IntBox:kind(), "instantiated", "an instance")
    eq(tostring(IntBox), "Box", "named as its generic")
    eq(IntBox({ value = 1 }).value, 1, "an instance checks values")
    eq(collect(Box:tparams(), function(name, constraint) return name .. "=" .. tostring(constraint) end), "T=nil", "tparams")

    -- calling a type checks a value and returns it; the primitive casts check, they do not convert
    local data = { name = "alice", age = 25 }
    eq(User(data), data, "User(data)")
    eq(string("x"), "x", "string(x)")
    eq(integer(3), 3, "integer(x)")
    eq(integer(3.0), 3.0, "an integral float is an integer")
    eq(number(1.5), 1.5, "number(x)")
    eq(boolean(false), false, "boolean(x)")
    eq(Age(3), 3, "a type with validators")
    local p, err = Point:is({ x = 1, y = 2 })
    eq(p.x + p.y, 3, "Point:is gives the value")
    eq(err, nil, "and no error")
    eq(Point.is({ x = 1, y = 2 }).y, 2, "Point.is works as a function too")
    local missing, why = Point:is({ x = 1 })
    eq(missing, nil, "not a Point")
    eq(why:kind(), errors.INVALID, "an Invalid error")
end }
