local __wisp_T = __wisp_types(_ENV, {["User"]={"record",{"age",{"ann","number",{"min",0},{"max",150}}},{"name",{"ann","string",{"min_len",1},{"max_len",100}}}},["Temperature"]={"ann","number",{"min",-273.15},{"unit","kelvin"}},}, {}); local x                 = 1
local y                           = 50
local email                             = "test@example.com"
local s                                  = "hi"

             
                                  
                                          
 

local scores                             = {85, 90}
local id                                      = 1
                                                       
