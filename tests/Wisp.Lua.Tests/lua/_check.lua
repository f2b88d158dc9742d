-- Assertions the suites share (imported as check): eq compares with ==, raises expects an error that contains a text.
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function raises(f, message, ...)
    local ok, why = pcall(f, ...)
    assert(not ok, "expected an error: " .. message)
    assert(tostring(why):find(message, 1, true), "expected '" .. message .. "', got " .. tostring(why))
end

return { eq = eq, raises = raises }
