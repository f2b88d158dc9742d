type Id = integer
type Pair = {left: Id, right: Id?}
type Settings = {
    verbose?: boolean,   -- a comment inside a declaration
    retries: integer,
    --[[ and a long one ]] tags: {string}
}
type Shape =
    {kind: "circle", radius: number}
    | {kind: "square", side: number}
type Both = Pair & Settings
type Lookup = {[string]: {Pair}}
type Callback = (err: string?, ...any) -> ()
type Escaped = "tab\there" | 'quote"d' | [[long
string]] | 0x10 | 1e3 | false
type Node = {value: number, next: Node?}
local type = "still a name"
print(type(type))
