local __wisp_T = __wisp_types(_ENV, {["Serializable"]={"iface",{},{"serialize",{"fn",{{"self","any"},},false,{"string",}}}},["Shape"]={"iface",{"Serializable","Named"},{"area",{"fn",{{"self","Shape"},},false,{"number",}}},{"scale",{"fn",{{"self","Shape"},{"by","number"},},"number",{"Shape",}}}},["Empty"]={"iface",{}},}, {});                       
                                         
   

                                    
                                      
                                                               
   

                   
local interface = "a name"
