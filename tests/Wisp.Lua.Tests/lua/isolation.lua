-- What one process does to its globals and libraries stays its own: it runs twice, the second run checks.
local function main(phase)
    if phase == "change" then
        string.upper = nil
        function string.shout(s) return s .. "!" end
        table.insert = function() error("broken") end
        leaked_global = "from the first process"
        _G.another = 1
        assert(string.upper == nil, "its own change is seen")
        assert(("x"):shout() == "x!", "a function added to string is a method of strings in this process")
        return "changed"
    end
    assert(string.upper ~= nil and string.upper("a") == "A", "string.upper is intact in another process")
    assert(string.shout == nil, "the other's addition is not seen")
    assert(not pcall(function() return ("x"):shout() end), "nor as a method")
    local t = {}
    table.insert(t, 1)
    assert(t[1] == 1, "table.insert is intact")
    assert(leaked_global == nil and another == nil, "globals are per process")
    assert(getmetatable("") == false, "the string metatable is protected")
    assert(getmetatable(_G) == false, "the environment's metatable is protected")
    -- what the sandbox leaves out
    assert(load == nil and loadstring == nil and dofile == nil and loadfile == nil, "no loading of code")
    assert(debug == nil and utf8 == nil and collectgarbage == nil and rawlen == nil, "no debug, utf8, collectgarbage, rawlen")
    assert(os.exit == nil and os.execute == nil and os.getenv == nil and os.remove == nil, "no os escapes")
    assert(io == nil and package == nil, "no standard io, no package")
    assert(string.dump == nil, "no string.dump")
    assert(unpack ~= nil and math.pow(2, 10) == 1024 and table.getn({ 1, 2 }) == 2, "5.1-era functions")
    return "clean"
end

return { main = main }
