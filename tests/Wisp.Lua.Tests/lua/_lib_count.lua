-- A library with no imports and no modules.
return { name = "count" }
