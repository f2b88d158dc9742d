local __wisp_T = __wisp_types(_ENV, {["Id"]="integer",["Pair"]={"record",{"left","Id"},{"right",{"opt","Id"}}},["Settings"]={"record",{"verbose","boolean",true},{"retries","integer"},{"tags",{"array","string"}}},["Shape"]={"union",{"record",{"kind",{"lit","circle"}},{"radius","number"}},{"record",{"kind",{"lit","square"}},{"side","number"}}},["Both"]={"inter","Pair","Settings"},["Lookup"]={"map","string",{"array","Pair"}},["Callback"]={"fn",{{"err",{"opt","string"}},},"any",{}},["Escaped"]={"union",{"lit","tab\009here"},{"lit","quote\"d"},{"lit","long\010string"},{"lit",0x10},{"lit",1e3},{"lit",false}},["Node"]={"record",{"value","number"},{"next",{"opt","Node"}}},}, {});                  
                                  
                 
                                                          
                     
                                         
 
            
                                    
                                    
                           
                                
                                            
                                               
                             
                                        
local type = "still a name"
print(type(type))
