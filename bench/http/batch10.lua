wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local items = {}
for i = 1, 10 do items[i] = '{"fn":"echo","args":{"text":"hello, benchmark"}}' end
wrk.body = "[" .. table.concat(items, ",") .. "]"
