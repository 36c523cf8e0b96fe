counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "/v1/hosts/pm1/samples", {["X-Auth-Token"]="s", ["Content-Type"]="application/json"}, '{"cpu_util": 0.' .. (counter % 9 + 1) .. '}')
end
