local b = require("cycle_b")
return { b_saw = b.saw }
