local io = require("io")
local orders = require("orders")

type Summary = {accepted: integer, rejected: integer}

local ORDERS: {any} = {
    { id = 1, customer = "ann@shop.example", items = { { sku = "tea", quantity = 2 } } },
    { id = 2, customer = "Bob", items = { { sku = "tea", quantity = 1 } } },
    { id = 3, customer = "cy@shop.example", items = {} },
    { id = 4, customer = "dee@shop.example", items = { { sku = "", quantity = 1 } } },
    { id = 5, customer = "eve@shop.example", items = { { sku = "mug", quantity = 0 } } },
    { id = 6, customer = "fay@shop.example", items = { { sku = "mug", quantity = 1 }, { sku = "tea", quantity = 3 } }, note = "gift" },
}

local function main(): integer
    local checker = process.spawn("app:checker", "app:processes")
    for _, order in ipairs(ORDERS) do process.send(checker, "order", order) end

    local inbox = process.inbox()
    local summary: Summary = { accepted = 0, rejected = 0 }
    for _ = 1, #ORDERS do
        local verdict = orders.Verdict(inbox:receive():payload():data())
        if verdict.ok then
            summary.accepted = summary.accepted + 1
            io.print(string.format("order %d: accepted, %d units", verdict.id, verdict.units))
        else
            summary.rejected = summary.rejected + 1
            io.print(string.format("order %d: rejected (%s)", verdict.id, verdict.reason))
        end
    end
    process.send(checker, "stop", true)
    io.print(string.format("%d accepted, %d rejected", Summary(summary).accepted, summary.rejected))

    local fields = {}
    for name, t in orders.Order:fields() do fields[#fields + 1] = name .. ": " .. t:kind() end
    io.print("an order has " .. table.concat(fields, ", "))
    return 0
end

return { main = main }
