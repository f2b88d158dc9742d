local x: number @min(0) = 1
local y: number @min(0) @max(100) = 50
local email: string @pattern("^.+@.+$") = "test@example.com"
local s: string @min_len(1) @max_len(10) = "hi"

type User = {
    age: number @min(0) @max(150),
    name: string @min_len(1) @max_len(100)
}

local scores: {number @min(0) @max(100)} = {85, 90}
local id: number @min(1) | string @min_len(1) = 1
type Temperature = number @min(-273.15) @unit("kelvin")
