-- process.registry and process options.
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function main()
    local pid = process.pid()
    local r = process.registry
    eq(r.LOCAL, 0, "LOCAL")
    eq(r.EVENTUAL, 1, "EVENTUAL")
    eq(r.CONSISTENT, 2, "CONSISTENT")
    eq(r.STRONG, 3, "STRONG")
    eq(r.register("svc"), true, "register")
    eq(r.register("svc"), true, "registering again is idempotent")
    eq(r.lookup("svc"), pid, "lookup")
    local child = process.spawn("app:_waiter", "app:processes")
    local ok, err = r.register("svc", child)
    eq(ok, nil, "a name held by another pid")
    eq(tostring(err), "name already registered: svc", "its message")
    eq(err:kind(), errors.ALREADY_EXISTS, "its kind")
    eq(r.register("other", child), true, "registering another pid")
    eq(r.lookup("other"), child, "lookup of the other")
    eq(r.unregister("svc"), true, "unregister")
    eq(r.unregister("svc"), false, "unregister of a free name")
    local none, lookup_err = r.lookup("svc")
    eq(none, nil, "lookup of a free name")
    eq(tostring(lookup_err), "name not registered", "its message")
    eq(lookup_err:kind(), "NotFound", "its kind")
    local _, scope_err = r.register("x", r.EVENTUAL)
    eq(scope_err:kind(), "Unavailable", "a cluster scope on a standalone node")
    process.terminate(child)

    local options = process.get_options()
    eq(options.trap_links, false, "trap_links is off by default")
    eq(process.set_options({ trap_links = true }), true, "set_options")
    eq(process.get_options().trap_links, true, "trap_links on")
    local ok2, err2 = process.set_options({ upgradable = true })
    eq(ok2, false, "an unknown option")
    eq(tostring(err2), "option upgradable is not supported", "its message")
    local _, err3 = process.set_options({ trap_links = "yes" })
    eq(tostring(err3), "trap_links must be a boolean", "a non-boolean")
    local _, err4 = process.set_options(42)
    eq(tostring(err4), "options parameter must be a table", "not a table")
    eq(process.event.EXIT, "pid.exit", "EXIT")
    eq(process.event.LINK_DOWN, "pid.link.down", "LINK_DOWN")
    eq(process.event.CANCEL, "pid.cancel", "CANCEL")
    return "ok"
end

return { main = main }
