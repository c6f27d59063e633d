// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title A test token that behaves as the NMR ERC-20 does where a bridge can tell.
/// @notice Like NumeraireBackend: `approve` needs the new value or the current allowance to
/// be zero; `changeApproval(spender, old, new)` needs the current allowance to equal `old`;
/// calls shorter than their arguments are refused (`onlyPayloadSize`; in Solidity 0.8 the
/// argument decoder already reverts on them, without data); transfers return
/// `true` and revert when the balance or allowance is short. The deployer may mint.
contract TestNmr {
    string public constant name = "Numeraire (test)";
    string public constant symbol = "NMR";
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    address public immutable minter;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    modifier onlyPayloadSize(uint256 words) {
        require(msg.data.length >= words * 32 + 4, "short payload");
        _;
    }

    constructor() {
        minter = msg.sender;
    }

    function mint(address to, uint256 value) external {
        require(msg.sender == minter, "not the minter");
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function transfer(address to, uint256 value) external onlyPayloadSize(2) returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external onlyPayloadSize(3) returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        require(allowed >= value, "allowance");
        allowance[from][msg.sender] = allowed - value;
        _move(from, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external onlyPayloadSize(2) returns (bool) {
        require(value == 0 || allowance[msg.sender][spender] == 0, "approve from or to zero only");
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function changeApproval(address spender, uint256 oldValue, uint256 newValue)
        external
        onlyPayloadSize(3)
        returns (bool)
    {
        require(allowance[msg.sender][spender] == oldValue, "allowance changed");
        allowance[msg.sender][spender] = newValue;
        emit Approval(msg.sender, spender, newValue);
        return true;
    }

    function _move(address from, address to, uint256 value) private {
        require(balanceOf[from] >= value, "balance");
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
