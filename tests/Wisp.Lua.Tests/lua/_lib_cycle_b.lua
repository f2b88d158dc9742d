local ok, why = pcall(require, "cycle_a")
return { saw = ok and "no loop" or tostring(why) }
