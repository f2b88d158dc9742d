-- errors: constants, new, wrap, is, and the methods of error objects.
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function main()
    eq(errors.UNKNOWN, "", "UNKNOWN")
    eq(errors.NOT_FOUND, "NotFound", "NOT_FOUND")
    local e = errors.new("something went wrong")
    eq(tostring(e), "something went wrong", "tostring is the message")
    eq(e:message(), "something went wrong", "message")
    eq(e:kind(), "", "no kind")
    eq(e:retryable(), nil, "retryable unknown")
    eq(type(e), "userdata", "an error object")
    eq("x: " .. e, "x: something went wrong", "concatenation")

    local full = errors.new({ message = "user not found", kind = errors.NOT_FOUND, retryable = false, details = { user_id = 123 } })
    eq(full:kind(), "NotFound", "kind")
    eq(full:retryable(), false, "retryable")
    eq(full:details().user_id, 123, "details")
    assert(errors.is(full, errors.NOT_FOUND), "is")
    assert(not errors.is(full, errors.INVALID), "is not")
    assert(not errors.is("a string", errors.INVALID), "a string is no error")

    local wrapped = errors.wrap(full, "failed to load profile")
    eq(tostring(wrapped), "user not found", "a wrap keeps the message")
    eq(wrapped:kind(), "NotFound", "and the kind")

    local bad, why = pcall(errors.new, { kind = "x" })
    assert(not bad and why:find("message field is required", 1, true), tostring(why))
    bad, why = pcall(errors.new)
    assert(not bad and why:find("value expected", 1, true), tostring(why))

    -- an error object raised and caught keeps what it is
    local ok, caught = pcall(error, full)
    assert(not ok and rawequal(caught, full), "error(err) raises the object")

    -- it crosses processes as an error: kind, retryable and details survive
    process.send(process.pid(), "err", full)
    local back = process.inbox():receive():payload():data()
    eq(back:kind(), "NotFound", "kind across")
    eq(back:retryable(), false, "retryable across")
    eq(back:details().user_id, 123, "details across")
    return "ok"
end

return { main = main }
