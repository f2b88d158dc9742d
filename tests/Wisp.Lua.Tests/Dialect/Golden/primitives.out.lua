local n         = 3.14
local i          = 42         -- integer is subtype of number
local s         = "hello"
local b          = true
local a      = "anything"     -- explicit dynamic (opt-out of checking)
local u          = something  -- must narrow before use
local x          = nil
local v                  = get_value()
local first        , second         = 1, "two"
local uninitialized        
