"""Turns the local testnet's plain chain spec (stdin, from `numerstake-node build-spec --chain
local`) into the three-validator network's (stdout): Charlie joins Alice and Bob as an Aura and
GRANDPA authority and as the third oracle operator, with the oracle's threshold at two.
scripts/zombienet then makes it raw with the node itself. (Python, whose JSON integers are
exact: the balances are u128 planck, beyond a JavaScript number.)"""
import json
import sys

CHARLIE_SR25519 = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y"
CHARLIE_ED25519 = "5DbKjhNLpqX3zqZdNBc9BGb4fHU1cRBaDhJUskrvkwfraDi6"

spec = json.load(sys.stdin)
genesis = spec.get("genesis", {}).get("runtimeGenesis", {})
patch = genesis.get("patch") or genesis.get("config")
if patch is None:
    sys.exit("three-validators-spec: no runtimeGenesis patch in the chain spec")
aura = patch["aura"]["authorities"]
grandpa = patch["grandpa"]["authorities"]
operators = patch["roundOracle"]["operators"]
if len(aura) != 2 or len(grandpa) != 2 or len(operators) != 2:
    sys.exit("three-validators-spec: expected the local testnet's two validators and two operators")
aura.append(CHARLIE_SR25519)
grandpa.append([CHARLIE_ED25519, 1])
operators.append(CHARLIE_SR25519)
patch["roundOracle"]["threshold"] = 2
spec["name"] = "numerstake three validators"
spec["id"] = "numerstake_three_validators"
json.dump(spec, sys.stdout, indent=1)
