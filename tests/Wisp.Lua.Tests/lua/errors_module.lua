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
    -- an error behaves as its message where a program uses it as a string
    assert(string.find(e, "went wrong", 1, true), "string.find on an error")
    eq(e:upper(), "SOMETHING WENT WRONG", "a string method on an error")
    eq(select(2, e:gsub("o", "0")), 2, "gsub counts on the message")
    eq(string.format("%s!", e), "something went wrong!", "string.format %s")
    eq(string.sub(e, 1, 9), "something", "string.sub")
    eq(("abc"):upper(), "ABC", "strings are unchanged")

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
