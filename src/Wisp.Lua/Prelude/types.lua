-- The run-time type values of the typed dialect (docs/lua.md, "The typed dialect"): what `type` declarations become,
-- what typeof gives, the primitive types (Number, integer, ...), and the checks that calling a type and Type:is(v)
-- make, with the reference's kinds, names and messages. Run once per shard with P, the table of C# primitives; it
-- returns the function every translated file calls first (module) and the globals every environment sees.
--
-- A type value is a userdata made by P.type_handle: Lua code can neither make one nor change one (it has no fields
-- and its metatable is protected). What it stands for, a node, is in NODES, which no script can reach; a node never
-- changes once built, so the primitive types are shared by the processes of the shard, and what a process declares
-- is its own.
local P = ...

local type, select, rawget, rawset, next, tostring, error, setmetatable, math_type =
    type, select, rawget, rawset, next, tostring, error, setmetatable, math.type
local string_byte, string_sub, string_format = string.byte, string.sub, string.format
local table_concat, table_sort, table_insert, math_floor, math_ceil = table.concat, table.sort, table.insert, math.floor, math.ceil
local real_string = string
local new_handle, regex_match, new_error = P.type_handle, P.type_match, P.error_new

local NODES = setmetatable({}, { __mode = "k" })   -- type value -> node
local TYPE_MT = { __metatable = false, __name = "type" }
local MAX_DEPTH = 64

local function value_of(node)
    local h = node.handle
    if h == nil then
        h = new_handle(TYPE_MT)
        NODES[h] = node
        node.handle = h
    end
    return h
end

local function primitive(tag) return { tag = tag, name = tag } end
local NIL, BOOLEAN, NUMBER, INTEGER, STRING = primitive("nil"), primitive("boolean"), primitive("number"), primitive("integer"), primitive("string")
local ANY, UNKNOWN, NEVER, TABLE = primitive("any"), primitive("unknown"), primitive("never"), primitive("table")
local FUNCTION = { tag = "fn", params = {}, variadic = ANY }
local BUILTINS = { ["nil"] = NIL, boolean = BOOLEAN, number = NUMBER, integer = INTEGER, string = STRING, any = ANY,
    unknown = UNKNOWN, never = NEVER, table = TABLE }

-- Types whose equality needs nothing built: primitives and literals.
local SIMPLE = { ["nil"] = true, boolean = true, number = true, integer = true, string = true, any = true,
    unknown = true, never = true, table = true, lit = true }

-- The reference's kind names (a literal, an interface, a type parameter are "unknown" there too).
local KINDS = { ["nil"] = "nil", boolean = "boolean", number = "number", integer = "integer", string = "string", any = "any",
    unknown = "unknown", never = "never", opt = "optional", union = "union", inter = "intersection", tuple = "tuple",
    fn = "function", array = "array", map = "map", record = "record", generic = "generic", inst = "instantiated" }

local resolve, equal

local function kind_of(node)
    if node.tag == "ann" then return kind_of(node.inner) end
    return KINDS[node.tag] or "unknown"
end

local function strip(node)
    while node.tag == "ann" do node = node.inner end
    return node
end

---------------------------------------------------------------------------------------------------------------
-- building nodes from the descriptors the front end writes (Dialect/TypeDescriptor.cs)
---------------------------------------------------------------------------------------------------------------

local function optional(inner)
    if inner.tag == "opt" or inner.tag == "nil" then return inner end
    return { tag = "opt", inner = inner }
end

-- A union normalized as the reference's: nested unions and optionals flattened, never dropped, any absorbing,
-- duplicates removed, number subsuming integer, a primitive its literals, nil first (or T? when one type is left).
local function union(members)
    local flat, has_nil, has_any, has_unknown = {}, false, false, false
    local function add(m)
        local s = strip(m)
        local tag = s.tag
        if tag == "never" then return
        elseif tag == "unknown" then has_unknown = true
        elseif tag == "any" then has_any = true
        elseif tag == "nil" then has_nil = true
        elseif tag == "union" then for _, x in next, s.members do add(x) end
        elseif tag == "opt" then has_nil = true; add(s.inner)
        else flat[#flat + 1] = m end
    end
    for _, m in next, members do add(m) end
    if has_any then return ANY end
    local unique, bases = {}, {}
    for _, m in next, flat do
        -- a duplicate is the same node, or the same primitive or literal (declared types may not be built yet)
        local seen = false
        for _, u in next, unique do
            local a, b = strip(u), strip(m)
            if u == m or (SIMPLE[a.tag] and SIMPLE[b.tag] and equal(u, m)) then seen = true; break end
        end
        if not seen then
            unique[#unique + 1] = m
            local tag = strip(m).tag
            if tag then bases[tag] = true end
        end
    end
    if #unique == 0 and has_unknown then return has_nil and optional(UNKNOWN) or UNKNOWN end
    local kept = {}
    for _, m in next, unique do
        local s = strip(m)
        local drop = s.tag == "integer" and bases.number
        if s.tag == "lit" then
            local v = s.value
            local t = type(v)
            if t == "string" then drop = bases.string
            elseif t == "boolean" then drop = bases.boolean
            elseif math_type(v) == "integer" then drop = bases.integer or bases.number
            else drop = bases.number end
        end
        if not drop then kept[#kept + 1] = m end
    end
    if has_nil then
        if #kept == 1 then return optional(kept[1]) end
        table_insert(kept, 1, NIL)
    end
    if #kept == 0 then return has_nil and NIL or NEVER end
    if #kept == 1 then return kept[1] end
    return { tag = "union", members = kept }
end

local build

local function lookup(name, scope)
    local param = scope.params and scope.params[name]
    if param then return param end
    local shell = scope.names[name]
    if shell then
        scope.fill(name)
        return shell
    end
    return BUILTINS[name] or { tag = "ref", name = name }
end

local function fields_of(d, from, scope)
    local fields, byname = {}, {}
    for i = from, #d do
        local f = d[i]
        local t = build(f[2], scope)
        if f[3] and t.tag == "opt" then t = t.inner end
        local field = { name = f[1], type = t, optional = f[3] == true }
        fields[#fields + 1] = field
        byname[f[1]] = field
    end
    table_sort(fields, function(a, b) return a.name < b.name end)   -- the reference keeps a record's fields by name
    return fields, byname
end

local function list(d, from, scope)
    local out = {}
    for i = from, #d do out[#out + 1] = build(d[i], scope) end
    return out
end

local BUILD = {
    opt = function(d, scope) return optional(build(d[2], scope)) end,
    union = function(d, scope) return union(list(d, 2, scope)) end,
    inter = function(d, scope) return { tag = "inter", members = list(d, 2, scope) } end,
    array = function(d, scope) return { tag = "array", elem = build(d[2], scope), readonly = d[3] == true } end,
    map = function(d, scope) return { tag = "map", key = build(d[2], scope), val = build(d[3], scope), readonly = d[4] == true } end,
    record = function(d, scope)
        local fields, byname = fields_of(d, 2, scope)
        return { tag = "record", fields = fields, byname = byname, readonly = d.ro == true }
    end,
    iface = function(d, scope)
        local fields, byname = fields_of(d, 3, scope)
        return { tag = "iface", bases = d[2], fields = fields, byname = byname }
    end,
    fn = function(d, scope)
        local params = {}
        for i, p in next, d[2] do params[i] = { name = p[1] or nil, type = build(p[2], scope) } end
        return { tag = "fn", params = params, variadic = d[3] and build(d[3], scope) or nil,
            returns = d[4] and list(d[4], 1, scope) or nil }
    end,
    lit = function(d) return { tag = "lit", value = d[2] } end,
    ann = function(d, scope)
        local anns = {}
        for i = 3, #d do anns[#anns + 1] = { name = d[i][1], arg = d[i][2] } end
        return { tag = "ann", inner = build(d[2], scope), anns = anns }
    end,
    inst = function(d, scope) return { tag = "inst", generic = lookup(d[2], scope), args = list(d, 3, scope) } end,
    keyof = function(d, scope) return { tag = "keyof", of = build(d[2], scope) } end,
    index = function(d, scope) return { tag = "index", of = build(d[2], scope), key = build(d[3], scope) } end,
    cond = function(d, scope)
        return { tag = "cond", check = build(d[2], scope), extends = build(d[3], scope), yes = build(d[4], scope), no = build(d[5], scope) }
    end,
}

build = function(d, scope)
    if type(d) == "string" then return lookup(d, scope) end
    return BUILD[d[1]](d, scope)
end

-- A generic's node: its parameters, then its body with their names bound to them.
local function generic(d, scope)
    local params, tparams = {}, {}
    for i, p in next, d[2] do
        local node = { tag = "param", name = p[1] }
        params[p[1]] = node
        tparams[i] = node
    end
    local inner = { names = scope.names, params = params, fill = scope.fill }
    for i, p in next, d[2] do tparams[i].constraint = p[2] and build(p[2], inner) or nil end
    return { tag = "generic", tparams = tparams, body = build(d[3], inner) }
end

---------------------------------------------------------------------------------------------------------------
-- what a type means: instances expanded, keyof, T[K] and conditionals worked out (each once per node)
---------------------------------------------------------------------------------------------------------------

local subtype

-- A generic's body with its parameters replaced by arguments (named types are left as they are: they hold none).
local CACHES = { handle = true, bound = true, resolved = true, tuple = true, byname = true }
local function substitute(node, map, memo)
    local hit = map[node] or memo[node]
    if hit then return hit end
    if node.name or node.tag == "param" or node.tag == "ref" then return node end
    local copy = {}
    memo[node] = copy
    for k, v in next, node do
        if k == "members" or k == "args" or k == "returns" then
            local items = {}
            for i, x in next, v do items[i] = substitute(x, map, memo) end
            copy[k] = items
        elseif k == "fields" or k == "params" then
            local items, byname = {}, {}
            for i, f in next, v do
                items[i] = { name = f.name, type = substitute(f.type, map, memo), optional = f.optional }
                if f.name then byname[f.name] = items[i] end
            end
            copy[k] = items
            if k == "fields" then copy.byname = byname end
        elseif type(v) == "table" and v.tag then
            copy[k] = substitute(v, map, memo)
        elseif not CACHES[k] then
            copy[k] = v
        end
    end
    return copy
end

local function literal_union(keys)
    local members = {}
    for _, k in next, keys do members[#members + 1] = { tag = "lit", value = k } end
    return union(members)
end

resolve = function(node)
    local tag = node.tag
    if tag == "inst" or tag == "keyof" or tag == "index" or tag == "cond" then
        local r = node.resolved
        if r then return r end
        if tag == "inst" then
            local g = node.generic
            if g.tag ~= "generic" then r = g
            else
                local map = {}
                for i, p in next, g.tparams do map[p] = node.args[i] or ANY end
                r = substitute(g.body, map, {})
            end
        elseif tag == "keyof" then
            local of = strip(resolve(node.of))
            local keys = {}
            for _, f in next, of.fields or {} do keys[#keys + 1] = f.name end
            r = #keys > 0 and literal_union(keys) or NEVER
        elseif tag == "index" then
            local of, key = strip(resolve(node.of)), strip(resolve(node.key))
            local f = of.byname and key.tag == "lit" and of.byname[key.value]
            r = f and f.type or UNKNOWN
        else
            r = subtype(node.check, node.extends) and node.yes or node.no
        end
        r = resolve(r)
        node.resolved = r
        return r
    end
    return node
end

---------------------------------------------------------------------------------------------------------------
-- text: a type's name, or how the reference writes it
---------------------------------------------------------------------------------------------------------------

local QUOTED = { [7] = "\\a", [8] = "\\b", [9] = "\\t", [10] = "\\n", [11] = "\\v", [12] = "\\f", [13] = "\\r",
    [34] = '\\"', [92] = "\\\\" }

local function quote(s)   -- Go's %q
    local out = { '"' }
    for i = 1, #s do
        local b = string_byte(s, i)
        out[#out + 1] = QUOTED[b] or ((b < 32 or b == 127) and string_format("\\x%02x", b)) or string_sub(s, i, i)
    end
    out[#out + 1] = '"'
    return table_concat(out)
end

local text

local function join(nodes, sep)
    local parts = {}
    for i, n in next, nodes do parts[i] = text(n) end
    return table_concat(parts, sep)
end

local function fields_text(node)
    local parts = {}
    for i, f in next, node.fields do
        parts[i] = (node.readonly and "readonly " or "") .. f.name .. (f.optional and "?" or "") .. ": " .. text(f.type)
    end
    return table_concat(parts, ", ")
end

local TEXT = {
    lit = function(n)
        local v = n.value
        if type(v) == "string" then return quote(v) end
        return tostring(v)
    end,
    opt = function(n) return text(n.inner) .. "?" end,
    union = function(n) return join(n.members, " | ") end,
    inter = function(n) return join(n.members, " & ") end,
    array = function(n) return text(n.elem) .. "[]" end,
    map = function(n) return "{[" .. text(n.key) .. "]: " .. text(n.val) .. "}" end,
    record = function(n) return "{" .. fields_text(n) .. "}" end,
    iface = function() return "interface{...}" end,
    tuple = function(n) return "(" .. join(n.members, ", ") .. ")" end,
    fn = function(n)
        local parts = {}
        for i, p in next, n.params do parts[i] = (p.name and p.name .. ": " or "") .. text(p.type) end
        if n.variadic then parts[#parts + 1] = "..." .. text(n.variadic) end
        local s = "fun(" .. table_concat(parts, ", ") .. ")"
        local r = n.returns
        if r and #r == 1 then s = s .. " -> " .. text(r[1])
        elseif r and #r > 1 then s = s .. " -> (" .. join(r, ", ") .. ")" end
        return s
    end,
    ann = function(n)
        local s = text(n.inner)
        for _, a in next, n.anns do
            s = s .. " @" .. a.name
            local arg = a.arg
            if type(arg) == "string" then s = s .. '("' .. arg .. '")'
            elseif arg ~= nil then s = s .. "(" .. tostring(arg) .. ")" end
        end
        return s
    end,
    generic = function(n)
        local parts = {}
        for i, p in next, n.tparams do parts[i] = p.name .. (p.constraint and " : " .. text(p.constraint) or "") end
        return (n.name or "generic") .. "<" .. table_concat(parts, ", ") .. ">"
    end,
    inst = function(n) return (n.generic.name or "inst") .. "<" .. join(n.args, ", ") .. ">" end,
    keyof = function(n) return text(resolve(n)) end,
    index = function(n) return text(resolve(n)) end,
    cond = function(n) return text(resolve(n)) end,
}

-- How a type is written inside another (a named type by its name); top: the type itself, its name aside.
text = function(node, top)
    if node.name and not top and node.tag ~= "generic" then return node.name end
    local f = TEXT[node.tag]
    if f then return f(node) end
    return node.name or node.tag
end

local function name_of(node) return node.name or text(node, true) end

---------------------------------------------------------------------------------------------------------------
-- checks: nil when the value has the type, else the reference's error (message, field, expected, got, constraint).
-- As the reference, a value is first checked (report false) and only when it fails is the error worked out
-- (report true), which differs in one way: a nil field that is not optional is then "required field missing",
-- even when its type allows nil.
---------------------------------------------------------------------------------------------------------------

local function lua_type_name(v)
    if type(v) == "userdata" and NODES[v] then return "type" end
    return type(v)
end

local function type_error(path, expected, v)
    local msg = "expected " .. expected .. ", got " .. lua_type_name(v)
    return { msg = path ~= "" and path .. ": " .. msg or msg, field = path, expected = expected, got = lua_type_name(v) }
end

local function number_arg(a) return type(a) == "number" and a or 0 end
local function integer_arg(a)
    if type(a) ~= "number" then return 0 end
    return a >= 0 and math_floor(a) or math_ceil(a)
end
local function length(v)
    local t = type(v)
    if t == "string" or t == "table" then return #v end
    return #tostring(v)
end

-- The reference's validators (its package validate): a value of another type passes.
local VALIDATORS = {
    min = function(v, a) if type(v) == "number" and v < number_arg(a) then return "value below minimum" end end,
    max = function(v, a) if type(v) == "number" and v > number_arg(a) then return "value above maximum" end end,
    min_len = function(v, a)
        local n = integer_arg(a)
        if n >= 0 and length(v) < n then return "length below minimum" end
    end,
    max_len = function(v, a)
        local n = integer_arg(a)
        if n >= 0 and length(v) > n then return "length above maximum" end
    end,
    pattern = function(v, a)
        if type(a) ~= "string" then return "invalid pattern argument" end
        local s = type(v) == "string" and v or tostring(v)
        local matched = regex_match(a, s)
        if matched == nil then return "invalid regex" end
        if not matched then return "pattern mismatch" end
    end,
}

local function element_path(path, key) return path .. "[" .. tostring(key) .. "]" end

local explain

local EXPLAIN = {
    ["nil"] = function(_, v, path) if v ~= nil then return type_error(path, "nil", v) end end,
    boolean = function(_, v, path) if type(v) ~= "boolean" then return type_error(path, "boolean", v) end end,
    number = function(_, v, path) if type(v) ~= "number" then return type_error(path, "number", v) end end,
    integer = function(_, v, path)
        if math_type(v) == "integer" or math_type(v) == "float" and v == math_floor(v) and v - v == 0 then return end
        return type_error(path, "integer", v)
    end,
    string = function(_, v, path) if type(v) ~= "string" then return type_error(path, "string", v) end end,
    any = function() end,
    unknown = function() end,
    never = function(_, v, path) return type_error(path, "never", v) end,
    table = function(_, v, path) if type(v) ~= "table" then return type_error(path, "table", v) end end,
    iface = function(_, v, path) if type(v) ~= "table" then return type_error(path, "table", v) end end,
    opt = function(n, v, path, depth, report) if v ~= nil then return explain(n.inner, v, path, depth + 1, report) end end,
    union = function(n, v, path, depth, report)
        for _, m in next, n.members do
            if explain(m, v, path, depth + 1, report) == nil then return end
        end
        return type_error(path, text(n, true), v)
    end,
    inter = function(n, v, path, depth, report)
        for _, m in next, n.members do
            local e = explain(m, v, path, depth + 1, report)
            if e then return e end
        end
    end,
    array = function(n, v, path, depth, report)
        if type(v) ~= "table" then return type_error(path, text(n, true), v) end
        for i = 1, #v do
            local item = rawget(v, i)
            if item ~= nil then
                local e = explain(n.elem, item, element_path(path, i), depth + 1, report)
                if e then return e end
            end
        end
    end,
    tuple = function(n, v, path, depth, report)
        if type(v) ~= "table" then return type_error(path, text(n, true), v) end
        for i, m in next, n.members do
            local e = explain(m, rawget(v, i), element_path(path, i), depth + 1, report)
            if e then return e end
        end
    end,
    -- As the reference reads a table's parts: string keys are checked only for a string key type, the array part
    -- only for a number (or any) key type, other keys always.
    map = function(n, v, path, depth, report)
        if type(v) ~= "table" then return type_error(path, text(n, true), v) end
        local key_kind = kind_of(resolve(n.key))
        local count = #v
        for k, item in next, v do
            if type(k) == "string" then
                if key_kind == "string" then
                    local e = explain(n.val, item, path .. "." .. k, depth + 1, report)
                    if e then return e end
                end
            elseif math_type(k) == "integer" and k >= 1 and k <= count then
                if key_kind == "number" or key_kind == "integer" or key_kind == "any" then
                    local e = explain(n.val, item, element_path(path, k), depth + 1, report)
                    if e then return e end
                end
            else
                if explain(n.key, k, path .. "[key]", depth + 1, report) then
                    return type_error(path .. "[key]", text(n.key), k)
                end
                local e = explain(n.val, item, element_path(path, k), depth + 1, report)
                if e then return e end
            end
        end
    end,
    record = function(n, v, path, depth, report)
        if type(v) ~= "table" then return type_error(path, text(n, true), v) end
        for _, f in next, n.fields do
            local item = rawget(v, f.name)
            if item ~= nil or not f.optional then
                local field = path == "" and f.name or path .. "." .. f.name
                if item == nil and report then
                    return { msg = field .. ": required field missing", field = field, expected = text(f.type), got = "nil" }
                end
                local e = explain(f.type, item, field, depth + 1, report)
                if e then return e end
            end
        end
    end,
    fn = function(_, v, path) if type(v) ~= "function" then return type_error(path, "function", v) end end,
    lit = function(n, v, path)
        local lit = n.value
        if v == lit and (math_type(lit) ~= "float" or math_type(v) == "float") then return end
        return type_error(path, text(n, true), v)
    end,
    ann = function(n, v, path, depth, report)
        local e = explain(n.inner, v, path, depth + 1, report)
        if e then return e end
        for _, a in next, n.anns do
            local check = VALIDATORS[a.name]
            local message = check and check(v, a.arg)
            if message then
                return { msg = path ~= "" and path .. ": " .. message or message, field = path, constraint = a.name,
                    got = tostring(v), expected = a.arg ~= nil and tostring(a.arg) or nil }
            end
        end
    end,
    ref = function(n, _, path)
        local msg = "unresolved type " .. n.name
        return { msg = path ~= "" and path .. ": " .. msg or msg, field = path, expected = n.name }
    end,
}

explain = function(node, v, path, depth, report)
    if depth > MAX_DEPTH then
        local msg = "expected type, got recursion limit exceeded"
        return { msg = path ~= "" and path .. ": " .. msg or msg, field = path, expected = "type", got = "recursion limit exceeded" }
    end
    node = resolve(node)
    local f = EXPLAIN[node.tag]
    if f then return f(node, v, path, depth, report) end
    return type_error(path, text(node, true), v)
end

-- nil when v has the type, else the reference's error.
local function check(node, v)
    if explain(node, v, "", 0, false) == nil then return nil end
    return explain(node, v, "", 0, true) or type_error("", name_of(node), v)
end

local function validation_error(e)
    local details = {}
    for _, k in next, { "field", "expected", "got", "constraint" } do
        if e[k] ~= nil and e[k] ~= "" then details[k] = e[k] end
    end
    return new_error(e.msg, "Invalid", nil, details)
end

---------------------------------------------------------------------------------------------------------------
-- equality and subtyping (names aside: two types are equal when they are written the same way)
---------------------------------------------------------------------------------------------------------------

local function same_set(a, b, seen)
    if #a ~= #b then return false end
    for _, x in next, a do
        local found = false
        for _, y in next, b do if equal(x, y, seen) then found = true; break end end
        if not found then return false end
    end
    return true
end

local function same_list(a, b, seen)
    if (a == nil) ~= (b == nil) then return false end
    if a == nil then return true end
    if #a ~= #b then return false end
    for i = 1, #a do if not equal(a[i], b[i], seen) then return false end end
    return true
end

local function same_fields(a, b, seen)
    if #a.fields ~= #b.fields then return false end
    for _, f in next, a.fields do
        local g = b.byname[f.name]
        if not g or g.optional ~= f.optional or not equal(f.type, g.type, seen) then return false end
    end
    return true
end

equal = function(a, b, seen)
    if a == b then return true end
    seen = seen or {}
    local pair = seen[a]
    if pair and pair[b] then return true end
    if not pair then pair = {}; seen[a] = pair end
    pair[b] = true
    a, b = resolve(a), resolve(b)
    local tag = a.tag
    if tag ~= b.tag then return false end
    if BUILTINS[tag] then return true end
    if tag == "lit" then return a.value == b.value and math_type(a.value) == math_type(b.value) end
    if tag == "opt" then return equal(a.inner, b.inner, seen) end
    if tag == "union" or tag == "inter" or tag == "tuple" then return (tag == "tuple" and same_list or same_set)(a.members, b.members, seen) end
    if tag == "array" then return a.readonly == b.readonly and equal(a.elem, b.elem, seen) end
    if tag == "map" then return a.readonly == b.readonly and equal(a.key, b.key, seen) and equal(a.val, b.val, seen) end
    if tag == "record" then return a.readonly == b.readonly and same_fields(a, b, seen) end
    if tag == "fn" then
        if #a.params ~= #b.params or (a.variadic == nil) ~= (b.variadic == nil) then return false end
        for i, p in next, a.params do if not equal(p.type, b.params[i].type, seen) then return false end end
        return (a.variadic == nil or equal(a.variadic, b.variadic, seen)) and same_list(a.returns, b.returns, seen)
    end
    if tag == "ann" then
        if #a.anns ~= #b.anns then return false end
        for i, x in next, a.anns do if x.name ~= b.anns[i].name then return false end end
        return equal(a.inner, b.inner, seen)
    end
    if tag == "ref" or tag == "iface" then return a.name == b.name end
    return false
end

local function literal_base(v)
    if type(v) == "number" then return math_type(v) == "integer" and "integer" or "number" end
    return type(v)
end

subtype = function(a, b, depth)
    depth = (depth or 0) + 1
    if depth > MAX_DEPTH then return false end
    a, b = strip(resolve(a)), strip(resolve(b))
    if equal(a, b) then return true end
    if b.tag == "any" or b.tag == "unknown" or a.tag == "never" then return true end
    if a.tag == "union" then
        for _, m in next, a.members do if not subtype(m, b, depth) then return false end end
        return true
    end
    if a.tag == "opt" then return subtype(NIL, b, depth) and subtype(a.inner, b, depth) end
    if b.tag == "union" then
        for _, m in next, b.members do if subtype(a, m, depth) then return true end end
        return false
    end
    if b.tag == "opt" then return a.tag == "nil" or subtype(a, b.inner, depth) end
    if a.tag == "inter" then
        for _, m in next, a.members do if subtype(m, b, depth) then return true end end
        return false
    end
    if b.tag == "inter" then
        for _, m in next, b.members do if not subtype(a, m, depth) then return false end end
        return true
    end
    if a.tag == "integer" then return b.tag == "number" end
    if a.tag == "lit" then
        local base = literal_base(a.value)
        return base == b.tag or base == "integer" and b.tag == "number"
    end
    if b.tag == "table" or b.tag == "iface" then
        return a.tag == "record" or a.tag == "array" or a.tag == "map" or a.tag == "iface" or a.tag == "tuple"
    end
    if a.tag ~= b.tag then return false end
    -- a mutable field is invariant, a readonly one covariant; a parameter contravariant, a result covariant
    local function field(x, y, readonly) if readonly then return subtype(x, y, depth) end return equal(x, y) end
    if a.tag == "array" then return (b.readonly or not a.readonly) and field(a.elem, b.elem, b.readonly) end
    if a.tag == "map" then return equal(a.key, b.key) and field(a.val, b.val, b.readonly) end
    if a.tag == "record" then
        for _, f in next, b.fields do
            local g = a.byname[f.name]
            if g == nil then
                if not f.optional then return false end
            elseif g.optional and not f.optional or not field(g.type, f.type, b.readonly) then
                return false
            end
        end
        return true
    end
    if a.tag == "fn" then
        for i, p in next, b.params do
            local q = a.params[i]
            if q and not subtype(p.type, q.type, depth) then return false end
        end
        if #a.params > #b.params and not b.variadic then return false end
        local ar, br = a.returns or {}, b.returns or {}
        for i, r in next, br do
            if not ar[i] or not subtype(ar[i], r, depth) then return false end
        end
        return true
    end
    return false
end

---------------------------------------------------------------------------------------------------------------
-- a type value's methods and operators
---------------------------------------------------------------------------------------------------------------

local function iterate(items, each)
    local i = 0
    return function()
        i = i + 1
        local item = items[i]
        if item == nil then return nil end
        return each(item)
    end
end

local METHODS = {
    is = function(node) return function(...)
        local v
        if select("#", ...) >= 2 then v = select(2, ...) else v = ... end
        local e = check(node, v)
        if e == nil then return v, nil end
        return nil, validation_error(e)
    end end,
    kind = function(node) return function() return kind_of(node) end end,
    name = function(node) return function() return node.name end end,
    elem = function(node) return function() if node.tag == "array" then return value_of(node.elem) end end end,
    key = function(node) return function() if node.tag == "map" then return value_of(node.key) end end end,
    val = function(node) return function() if node.tag == "map" then return value_of(node.val) end end end,
    inner = function(node) return function() if node.tag == "opt" then return value_of(node.inner) end end end,
    ret = function(node) return function()
        local r = node.tag == "fn" and node.returns
        if not r or #r == 0 then return nil end
        if #r == 1 then return value_of(r[1]) end
        node.tuple = node.tuple or { tag = "tuple", members = r }
        return value_of(node.tuple)
    end end,
    fields = function(node) return function()
        if node.tag ~= "record" then return nil end
        return iterate(node.fields, function(f) return f.name, value_of(f.type) end)
    end end,
    variants = function(node) return function()
        if node.tag ~= "union" then return nil end
        return iterate(node.members, value_of)
    end end,
    params = function(node) return function()
        if node.tag ~= "fn" then return nil end
        return iterate(node.params, function(p) return value_of(p.type) end)
    end end,
    tparams = function(node) return function()
        if node.tag ~= "generic" then return nil end
        return iterate(node.tparams, function(p) return p.name, p.constraint and value_of(p.constraint) or nil end)
    end end,
}

-- A method comes before a field of the same name (User.name is the method, as in the reference).
TYPE_MT.__index = function(self, key)
    local node = NODES[self]
    local make = METHODS[key]
    if make then
        local bound = node.bound
        if bound == nil then bound = {}; node.bound = bound end
        local m = bound[key]
        if m == nil then m = make(node); bound[key] = m end
        return m
    end
    if node.tag == "record" then
        local f = node.byname[key]
        if f then return value_of(f.type) end
    elseif node == STRING then
        return real_string[key]
    end
    return nil
end

TYPE_MT.__newindex = function() error("attempt to modify a type", 2) end
TYPE_MT.__tostring = function(self) return name_of(NODES[self]) end
TYPE_MT.__eq = function(a, b)
    local x, y = NODES[a], NODES[b]
    return x ~= nil and y ~= nil and equal(x, y)
end

local function both(a, b)
    local x, y = NODES[a], NODES[b]
    if x == nil or y == nil then
        error("attempt to compare " .. lua_type_name(a) .. " with " .. lua_type_name(b), 3)
    end
    return x, y
end

TYPE_MT.__le = function(a, b)
    local x, y = both(a, b)
    return subtype(x, y)
end

TYPE_MT.__lt = function(a, b)
    local x, y = both(a, b)
    return subtype(x, y) and not equal(x, y)
end

-- Calling a type: with values, checks one (returns it, or raises the reference's "expected T, got X"); with
-- types, instantiates a generic.
TYPE_MT.__call = function(self, ...)
    local node = NODES[self]
    local n = select("#", ...)
    local name = name_of(node)
    if n == 0 then error("type " .. name .. " expects at least 1 argument", 2) end
    local types = 0
    for i = 1, n do if NODES[(select(i, ...))] then types = types + 1 end end
    if types == n then
        if node.tag ~= "generic" then error("type " .. name .. " is not generic", 2) end
        if n ~= #node.tparams then
            error("generic " .. name .. " expects " .. #node.tparams .. " type arguments, got " .. n, 2)
        end
        local args = {}
        for i = 1, n do args[i] = NODES[(select(i, ...))] end
        return value_of({ tag = "inst", generic = node, args = args, name = node.name })
    end
    if types > 0 then error("type " .. name .. " does not accept mixed type/value arguments", 2) end
    if n ~= 1 then error("type " .. name .. " validation expects 1 value, got " .. n, 2) end
    local v = ...
    if explain(node, v, "", 0, false) then error("expected " .. name .. ", got " .. lua_type_name(v), 2) end
    return v
end

---------------------------------------------------------------------------------------------------------------
-- a translated file's types, and the globals
---------------------------------------------------------------------------------------------------------------

-- What the prologue of a translated file calls: builds its declared types (named, by name: descriptors) and the
-- types its code reads statically (static: a list), sets each declared type as a global of env that has none of
-- that name, and returns the file's table: static types by index, and string (the string type).
local function module(env, named, static)
    local shells, done = {}, {}
    for name in next, named do shells[name] = {} end
    local scope = { names = shells }
    scope.fill = function(name)
        if done[name] then return end
        done[name] = true
        local d = named[name]
        local node = type(d) == "table" and d[1] == "generic" and generic(d, scope) or build(d, scope)
        local shell = shells[name]
        for k, v in next, node do
            if k ~= "handle" and k ~= "bound" and k ~= "name" then shell[k] = v end
        end
        shell.name = name
    end
    for name in next, named do scope.fill(name) end
    for name, shell in next, shells do
        if rawget(env, name) == nil then rawset(env, name, value_of(shell)) end
    end
    local file = { string = value_of(STRING) }
    for i, d in next, static do file[i] = value_of(build(d, scope)) end
    return file
end

-- typeof(v) of a value: its primitive type (an integer's is integer, a float's number), table for a table, a
-- function type for a function; any for other values.
local BY_LUA_TYPE = { ["nil"] = NIL, boolean = BOOLEAN, string = STRING, table = TABLE, ["function"] = FUNCTION }
local function typeof(v)
    local t = type(v)
    if t == "number" then return value_of(math_type(v) == "integer" and INTEGER or NUMBER) end
    return value_of(BY_LUA_TYPE[t] or ANY)
end

-- The primitive types are shared by every process of the shard: their values and methods are made here, once, so
-- that no process ever adds to them.
for _, node in next, { NIL, BOOLEAN, NUMBER, INTEGER, STRING, ANY, UNKNOWN, NEVER, TABLE, FUNCTION } do
    value_of(node)
    node.bound = {}
    for name, make in next, METHODS do node.bound[name] = make(node) end
end

return {
    module = module,
    globals = {
        typeof = typeof,
        integer = value_of(INTEGER), number = value_of(NUMBER), boolean = value_of(BOOLEAN),
        Nil = value_of(NIL), Boolean = value_of(BOOLEAN), Number = value_of(NUMBER), Integer = value_of(INTEGER),
        String = value_of(STRING), Any = value_of(ANY), Unknown = value_of(UNKNOWN), Never = value_of(NEVER),
    },
}
