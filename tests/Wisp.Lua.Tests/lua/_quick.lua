-- A helper: returns its arguments at once, or fails when the first is "fail".
return {
    main = function(first, ...)
        if first == "fail" then error("quick failure") end
        if first == "nil-err" then return nil, "returned an error" end
        return first, ...
    end,
}
