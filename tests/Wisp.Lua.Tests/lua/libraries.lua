-- Libraries, through a function entry that imports them (lua/_uses_libs.lua asserts the details).
local funcs = require("funcs")
return { main = function()
    local result, err = funcs.call("app:uses_libs")
    assert(err == nil, tostring(err))
    assert(result == "ok", tostring(result))
    -- an import of an entry that is not a library is an error at the importer's spawn
    local _, bad = funcs.call("app:bad_import")
    assert(tostring(bad):find("import 'greet': app:double is a function.lua, not a library.lua", 1, true), tostring(bad))
    return "ok"
end }
