local function add(a        , b        )        
    return a + b
end

local function div_mod(a        , b        )                  
    return math.floor(a / b), a % b
end

local function fetch(url        )                   
end

local double                     = function(x        )        
    return x * 2
end

local function sum(...        )        
    local total         = 0
    for _, v in ipairs({...}) do total = total + v end
    return total
end

function fail(msg        )       
    error(msg)
end

function M.method(self, x        , ...)                
    return "", x
end

function Obj:with   (key        ,
                     value   )     
    return self
end

local none = function()     end
local chained                          
local both                                         
