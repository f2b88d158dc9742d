-- registry: the node's entries (registry.entry data entries among them), finds, snapshots, versions, changesets.
local registry = require("registry")
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

return { main = function()
    local db, err = registry.get("app:config.db")
    eq(err, nil, "get")
    eq(db.id, "app:config.db", "id")
    eq(db.kind, "registry.entry", "kind")
    eq(db.meta.type, "config", "meta")
    eq(db.data.host, "localhost", "data")
    eq(math.type(db.data.port), "integer", "an integer in data")
    local fn = registry.get("app:funcs")
    eq(fn.kind, "function.lua", "any entry has its fields")
    eq(fn.data.source, "file://funcs.lua", "its data is its other keys")
    local none, nerr = registry.get("app:nothing")
    eq(none, nil, "unknown")
    eq(tostring(nerr), "entry not found: app:nothing", "not found")
    eq(nerr:kind(), errors.NOT_FOUND, "its kind")

    local configs = registry.find({ [".kind"] = "registry.entry", ["meta.type"] = "config" })
    eq(#configs, 2, "find by kind and meta")
    eq(configs[1].id, "app:config.cache", "sorted by id")
    eq(#registry.find({ env = "prod" }), 1, "a bare key is a meta field")
    eq(#registry.find({ [".name"] = "config.*" }), 2, "a pattern")
    eq(#registry.find({ [".ns"] = "app", [".kind"] = "function.lua", ["meta.suite"] = "json" }), 1, "the json test")

    local id = registry.parse_id("app.lib:assert")
    eq(id.ns, "app.lib", "parse_id ns")
    eq(id.name, "assert", "parse_id name")

    -- a changeset makes a new version; later reads see it, the old snapshot does not
    local snap = registry.snapshot()
    local before = snap:version()
    local changes = snap:changes()
    changes:create({ id = "app:job.1", kind = "registry.entry", meta = { type = "job" }, data = { every = "5s" } })
    changes:update({ id = "app:config.db", kind = "registry.entry", meta = { type = "config", env = "prod" }, data = { host = "db2", port = 5432 } })
    changes:delete("app:config.cache")
    eq(#changes:ops(), 3, "three operations")
    local after, aerr = changes:apply()
    eq(aerr, nil, "apply")
    eq(after:id(), before:id() + 1, "the next version")
    eq(registry.current_version():id(), after:id(), "it is current")
    eq(registry.get("app:config.db").data.host, "db2", "an update is seen")
    eq(registry.get("app:job.1").meta.type, "job", "a create is seen")
    eq(registry.get("app:config.cache"), nil, "a delete is seen")
    eq(snap:get("app:config.db").data.host, "localhost", "the snapshot keeps its version")
    eq(#snap:find({ ["meta.type"] = "config" }), 2, "and its finds")
    eq(after:previous():id(), before:id(), "previous")
    eq(before:next():id(), after:id(), "next")

    -- failures change nothing
    local bad = registry.snapshot():changes()
    bad:create({ id = "app:job.1", kind = "registry.entry" })
    local v, berr = bad:apply()
    eq(v, nil, "a duplicate create fails")
    eq(tostring(berr), "entry already exists: app:job.1", "already exists")
    eq(registry.current_version():id(), after:id(), "no version was made")
    local _, eerr = registry.snapshot():changes():apply()
    eq(tostring(eerr), "no changes to apply", "empty")
    _, eerr = registry.snapshot():changes():delete("app:missing"):apply()
    eq(tostring(eerr), "entry not found: app:missing", "delete of a missing entry")

    -- the operations between two lists of entries, which a changeset applies
    local from = { { id = "test:a", kind = "test", meta = {}, data = { v = 1 } }, { id = "test:b", kind = "test", meta = {}, data = {} } }
    local to = { { id = "test:b", kind = "test", meta = {}, data = {} }, { id = "test:a", kind = "test", meta = {}, data = { v = 2 } },
        { id = "test:c", kind = "test", meta = { x = true }, data = {} } }
    local ops = registry.build_delta(from, to)
    eq(#ops, 2, "an update and a create; b is unchanged")
    eq(ops[1].kind .. " " .. ops[1].entry.id, "entry.update test:a", "the update")
    eq(ops[2].kind .. " " .. ops[2].entry.id, "entry.create test:c", "the create")
    local gone = registry.build_delta(to, { to[1] })
    eq(#gone, 2, "two deletes")
    eq(gone[1].kind .. " " .. gone[1].entry.id, "entry.delete test:a", "a delete names its entry")

    -- rolling back is making an old version current
    eq(registry.apply_version(before), true, "apply_version")
    eq(registry.get("app:config.db").data.host, "localhost", "rolled back")
    eq(#registry.versions(), after:id(), "versions are kept")
    local missing, merr = registry.snapshot_at(999)
    eq(missing, nil, "no such version")
    eq(merr:kind(), errors.NOT_FOUND, "version not found")
    registry.apply_version(after)
end }
