-- The shapes main and the checker agree on, each a type: calling one checks a value, Type:is(v) says why not.
type Item = {sku: string @min_len(1), quantity: integer @min(1)}

type Order = {
    id: integer,
    customer: string @pattern("^[a-z]+@[a-z.]+$"),
    items: {Item} @min_len(1),
    note?: string,
}

type Verdict = {id: integer, ok: boolean, units: integer, reason?: string}

local function units(order: Order): integer
    local sum: integer = 0
    for _, item in ipairs(order.items) do
        sum = sum + (item :: Item).quantity
    end
    return sum
end

return { Item = Item, Order = Order, Verdict = Verdict, units = units }
