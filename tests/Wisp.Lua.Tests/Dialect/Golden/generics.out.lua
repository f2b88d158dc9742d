local __wisp_T = __wisp_types(_ENV, {["HasName"]={"record",{"name","string"}},["Box"]={"generic",{{"T",false},},{"record",{"value","T"}}},}, {}); local function identity   (x   )   
    return x
end

                             

local function greet            (obj   )        
    return "Hello, " .. obj.name
end

                        
local nested                   = {value = {value = 1}}
local tight             = nil
local f = function      (map          )     
    return {}
end
