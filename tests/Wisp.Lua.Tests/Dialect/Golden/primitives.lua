local n: number = 3.14
local i: integer = 42         -- integer is subtype of number
local s: string = "hello"
local b: boolean = true
local a: any = "anything"     -- explicit dynamic (opt-out of checking)
local u: unknown = something  -- must narrow before use
local x: number? = nil
local v: number | string = get_value()
local first: number, second: string = 1, "two"
local uninitialized: string
