local __wisp_T = __wisp_types(_ENV, {["Status"]={"union",{"lit","pending"},{"lit","active"},{"lit","done"}},["User"]={"record",{"name","string"},{"age","number"}},["Config"]={"record",{"host","string"},{"port","number"},{"timeout","number",true},{"debug","boolean",true}},["Result"]={"generic",{{"T",false},{"E",false},},{"union",{"record",{"ok",{"lit",true}},{"value","T"}},{"record",{"ok",{"lit",false}},{"error","E"}}}},["Named"]={"record",{"name","string"}},["Aged"]={"record",{"age","number"}},["Person"]={"inter","Named","Aged"},["StringArray"]={"array","string"},["StringMap"]={"map","string","number"},["Callback"]={"fn",{{"err",{"opt","string"}},},"any",{}},["Escaped"]={"union",{"lit","tab\009here"},{"lit","quote\"d"},{"lit","long\010string"},{"lit",0x10},{"lit",1e3},{"lit",false}},}, {});                                            
                                       
               
                 
                 
                     
                   
 
                   
                        
                           
                           
                         
                          
                           
                                   
                                            
                                               
                             
local type = "still a name"
print(type(type))
