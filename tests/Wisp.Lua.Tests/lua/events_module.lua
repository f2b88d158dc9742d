-- events: the node's event bus; subscriptions by system pattern and kind, their channels, close, errors.
local events = require("events")
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

return { main = function()
    local sub, err = events.subscribe("orders.*")
    eq(err, nil, "subscribe")
    local created = events.subscribe("orders.*", "order.created")
    local ch, created_ch = sub:channel(), created:channel()
    assert(rawequal(ch, sub:channel()), "one channel per subscription")

    eq(events.send("orders.eu", "order.created", "/orders/1", { id = 1, total = 9.5 }), true, "send")
    events.send("orders.eu", "order.paid", "/orders/1")
    events.send("users", "user.created", "/users/7", { id = 7 })   -- matches neither subscription
    events.send("orders.marker", "order.created", "/marker")     -- events keep their order: this comes next

    local e = ch:receive()
    eq(e.system, "orders.eu", "system")
    eq(e.kind, "order.created", "kind")
    eq(e.path, "/orders/1", "path")
    eq(e.data.id, 1, "data")
    eq(math.type(e.data.id), "integer", "an integer stays one")
    e = ch:receive()
    eq(e.kind, "order.paid", "the next event")
    eq(e.data, nil, "no data when none was sent")
    eq(ch:receive().path, "/marker", "the users event did not match the pattern")
    eq(created_ch:receive().path, "/orders/1", "the kind filter")
    eq(created_ch:receive().path, "/marker", "the paid event did not match the kind")

    -- close ends the subscription: idempotent, and its channel is closed once drained
    events.send("orders.eu", "order.created", "/orders/2")
    eq(sub:close(), true, "close")
    eq(sub:close(), true, "close again")
    local v, ok = ch:receive()
    while ok do v, ok = ch:receive() end
    eq(v, nil, "nothing after close")
    eq(created_ch:receive().path, "/orders/2", "another subscription still hears")

    -- the reference's errors
    local none, serr = events.subscribe("")
    eq(none, nil, "no subscription")
    eq(tostring(serr), "system pattern is required", "empty system pattern")
    local sent, e2 = events.send("", "k", "/p")
    eq(sent, false, "not sent")
    eq(tostring(e2), "system is required", "empty system")
    eq(e2:kind(), errors.INVALID, "invalid")
    _, e2 = events.send("s", "", "/p")
    eq(tostring(e2), "kind is required", "empty kind")
    _, e2 = events.send("s", "k", "")
    eq(tostring(e2), "path is required", "empty path")
    local ok2, why = pcall(events.send, "s", 1)
    assert(not ok2 and why:find("bad argument #2 to 'send' (string expected, got number)", 1, true), tostring(why))
    created:close()
end }
