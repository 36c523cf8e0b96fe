counter = 0
request = function()
  counter = counter + 1
  return wrk.format("PATCH", "/v1/policies/BalanceWeigher", {["X-Auth-Token"]="a", ["Content-Type"]="application/json"}, '{"multiplier": ' .. (counter % 97 + 1) .. '}')
end
