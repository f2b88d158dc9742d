-- time: sleep, after, timer, ticker, durations in their three forms, Time and Duration values.
local time = require("time")
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function main()
    eq(time.SECOND, 1000000000, "SECOND")
    eq(time.MILLISECOND * 1000, time.SECOND, "MILLISECOND")
    local start = time.now()
    time.sleep("20ms")
    time.sleep(5 * time.MILLISECOND)
    local d = time.parse_duration("15ms")
    time.sleep(d)
    local elapsed = time.now():sub(start)
    assert(elapsed:milliseconds() >= 39, "slept at least 40ms: " .. tostring(elapsed))

    -- bad durations are nil, err (Invalid), not raised
    local r, err = time.sleep("10 parsecs")
    eq(r, nil, "a bad duration")
    eq(tostring(err), 'time: unknown unit " parsecs" in duration "10 parsecs"', "its message")
    eq(err:kind(), errors.INVALID, "its kind")
    _, err = time.sleep({})
    eq(tostring(err), "duration must be number or string", "a table")
    _, err = time.sleep("5")
    eq(tostring(err), 'time: missing unit in duration "5"', "a bare number string")
    _, err = time.after(0)
    eq(tostring(err), "time.after: duration must be > 0", "after 0")

    -- after: one value, then closed
    local after = time.after("5ms")
    local at, ok = after:receive()
    eq(ok, true, "after fires")
    eq(type(at), "userdata", "with the firing time")
    assert(at:unix_nano() >= start:unix_nano(), "a time after the start")
    local _, more = after:receive()
    eq(more, false, "then it is closed")

    -- timer: stop before it fires, reset
    local timer = time.timer("1h")
    assert(rawequal(timer:channel(), timer:response()), "one channel")
    eq(timer:stop(), true, "stopped before firing")
    eq(timer:stop(), false, "stopping again")
    timer:reset("5ms")
    local fired = channel.select { timer:channel():case_receive(), time.after("10s"):case_receive() }
    assert(fired.channel == timer:channel(), "a reset timer fires")

    -- ticker
    local ticker = time.ticker("2ms")
    ticker:channel():receive()
    ticker:channel():receive()
    ticker:stop()

    -- values
    local t = time.unix(1703862245, 0):utc()
    eq(t:format_rfc3339(), "2023-12-29T15:04:05Z", "rfc3339")
    eq(t:format("2006-01-02 15:04:05"), "2023-12-29 15:04:05", "a Go layout")
    eq(t:format(time.KITCHEN), "3:04PM", "kitchen")
    eq(t:year(), 2023, "year")
    eq(t:month(), 12, "month")
    eq(t:weekday(), time.FRIDAY, "weekday")
    eq(t:unix(), 1703862245, "unix")
    eq(tostring(t), "2023-12-29 15:04:05 +0000 UTC", "tostring of a time")
    local later = t:add("1h30m")
    eq(tostring(later:sub(t)), "1h30m0s", "tostring of a duration")
    assert(later:after(t) and t:before(later), "ordering")
    eq(tostring(time.parse_duration("1.5s")), "1.5s", "1.5s")
    eq(time.parse_duration("1h30m45s500ms"):milliseconds(), 5445500, "milliseconds")
    eq(time.parse_duration("90m"):hours(), 1.5, "hours")
    local parsed = time.parse(time.RFC3339, "2024-12-29T15:04:05Z")
    eq(parsed:unix(), 1735484645, "parse")
    local _, perr = time.parse(time.RFC3339, "not a time")
    eq(perr:kind(), "Invalid", "a parse error")
    return "ok"
end

return { main = main }
