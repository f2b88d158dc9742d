type Status = "pending" | "active" | "done"
type User = {name: string, age: number}
type Config = {
    host: string,
    port: number,
    timeout?: number,
    debug?: boolean
}
type Result<T, E> =
    {ok: true, value: T}
    | {ok: false, error: E}
type Named = {name: string}
type Aged = {age: number}
type Person = Named & Aged
type StringArray = {string}
type StringMap = {[string]: number}
type Callback = (err: string?, ...any) -> ()
type Escaped = "tab\there" | 'quote"d' | [[long
string]] | 0x10 | 1e3 | false
local type = "still a name"
print(type(type))
