local function pair(a        , b        )                
    return a, b
end

function M.method(self, x        , ...)                
    return "", x
end

function Obj:with   (key        ,
                     value   )     
    return self
end

local function opener(path        ) 
                         
    return nil, nil
end

local none = function()     end
local chained                          
local both                                         
local handler                                                = function(self, event) return true end
