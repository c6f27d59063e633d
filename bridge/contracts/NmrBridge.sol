// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// The part of the NMR ERC-20 the bridge uses.
interface INmr {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

/// @title numerstake's NMR bridge: NMR locked here is NMR minted on numerstake.
/// @notice `deposit` locks NMR for a numerstake account (a 32-byte public key); the chain's
/// relayers see the `Deposited` event in a finalised block and mint the same amount there.
/// `release` pays out a withdrawal the chain burned, on an EIP-712 message signed by a
/// threshold of a relayer set. The relayer set rotates only with its own threshold's
/// signatures; releases signed by a set that was rotated out stay valid for `rotationGrace`
/// seconds after the rotation, and only for withdrawals numbered below the rotation's `cutoff`
/// (those the chain had queued when it rotated: a retired set cannot sign new ones); the chain
/// re-signs older ones with the current set. A guardian
/// can pause deposits and releases; unpausing takes the current set's threshold. Releases are
/// capped per window of `window` seconds.
contract NmrBridge {
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("numerstake NMR bridge");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes32 private constant RELEASE_TYPEHASH =
        keccak256("Release(uint64 nonce,address recipient,uint256 amount,uint32 setId)");
    bytes32 private constant ROTATE_TYPEHASH =
        keccak256("Rotate(uint32 setId,address[] signers,uint16 threshold,uint64 cutoff)");
    bytes32 private constant UNPAUSE_TYPEHASH = keccak256("Unpause(uint32 setId,uint64 nonce)");
    bytes32 private constant GUARDIAN_TYPEHASH =
        keccak256("SetGuardian(uint32 setId,address guardian,uint64 nonce)");
    /// secp256k1 order / 2: a signature with a higher `s` is the malleated twin of another.
    uint256 private constant HALF_ORDER =
        0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint256 private constant MAX_SIGNERS = 16;

    INmr public immutable token;
    /// The least threshold a set may have (2 on live networks, 1 on dev chains).
    uint16 public immutable minThreshold;
    /// Seconds for which releases signed by a rotated-out set stay valid.
    uint256 public immutable rotationGrace;
    /// The release window, in seconds, and the most released per window.
    uint256 public immutable window;
    uint256 public immutable windowCap;
    /// The least deposit (the chain's existential deposit or more: a smaller one could not be
    /// minted) and the largest (at most the chain's mint limit per period, so that one deposit
    /// never waits for governance).
    uint256 public immutable minDeposit;
    uint256 public immutable maxDeposit;

    /// Deposits so far; the last deposit's nonce.
    uint64 public depositNonce;
    /// NMR locked here: deposits less releases (tokens sent here otherwise do not count).
    uint256 public locked;
    /// The current relayer set.
    uint32 public currentSet;
    mapping(uint32 => address[]) private setSigners;
    mapping(uint32 => mapping(address => bool)) private isSigner;
    mapping(uint32 => uint16) public thresholdOf;
    /// When a set was rotated out (0 while current or never used), and the withdrawal nonce
    /// from which its signatures no longer count.
    mapping(uint32 => uint256) public retiredAt;
    mapping(uint32 => uint64) public cutoffOf;
    /// Withdrawal nonces released.
    mapping(uint64 => bool) public released;
    address public guardian;
    bool public paused;
    /// Nonce of the set-signed administrative messages (unpause, guardian).
    uint64 public adminNonce;
    uint256 public windowStart;
    uint256 public windowReleased;

    event Deposited(uint64 indexed nonce, address indexed from, bytes32 indexed recipient, uint256 amount);
    event Released(uint64 indexed nonce, address indexed recipient, uint256 amount, uint32 setId);
    event SignerSetInstalled(uint32 indexed setId, address[] signers, uint16 threshold);
    event Paused(address by);
    event Unpaused();
    event GuardianSet(address guardian);

    error IsPaused();
    error ZeroAmount();
    error BelowMinimum();
    error AboveMaximum();
    error AfterCutoff();
    error TooLarge();
    error ZeroRecipient();
    error TokenTransferFailed();
    error NotExact();
    error AlreadyReleased();
    error UnknownSet();
    error SetExpired();
    error BadSignature();
    error SignersNotAscending();
    error NotASigner();
    error BelowThreshold();
    error BadSignerSet();
    error OverWindowCap();
    error NotGuardian();
    error NotPaused();

    constructor(
        INmr token_,
        address[] memory signers,
        uint16 threshold,
        uint16 minThreshold_,
        address guardian_,
        uint256 rotationGrace_,
        uint256 window_,
        uint256 windowCap_,
        uint256 minDeposit_,
        uint256 maxDeposit_
    ) {
        if (
            minThreshold_ == 0 || window_ == 0 || windowCap_ == 0 || minDeposit_ == 0
                || maxDeposit_ < minDeposit_
        ) {
            revert BadSignerSet();
        }
        token = token_;
        minThreshold = minThreshold_;
        rotationGrace = rotationGrace_;
        window = window_;
        windowCap = windowCap_;
        minDeposit = minDeposit_;
        maxDeposit = maxDeposit_;
        guardian = guardian_;
        _install(0, signers, threshold);
    }

    /// The EIP-712 domain separator (recomputed, so that a fork with another chain id cannot
    /// replay this chain's messages).
    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    /// The digest relayers sign to release withdrawal `nonce`.
    function releaseDigest(uint64 nonce, address recipient, uint256 amount, uint32 setId)
        public
        view
        returns (bytes32)
    {
        return _digest(keccak256(abi.encode(RELEASE_TYPEHASH, nonce, recipient, amount, setId)));
    }

    /// The digest the current set signs to install `signers` with `threshold` as the next set,
    /// its own signatures counting only for withdrawals below `cutoff` from then on.
    function rotateDigest(address[] calldata signers, uint16 threshold, uint64 cutoff)
        public
        view
        returns (bytes32)
    {
        return _digest(
            keccak256(
                abi.encode(ROTATE_TYPEHASH, currentSet + 1, keccak256(abi.encodePacked(signers)), threshold, cutoff)
            )
        );
    }

    function unpauseDigest() public view returns (bytes32) {
        return _digest(keccak256(abi.encode(UNPAUSE_TYPEHASH, currentSet, adminNonce)));
    }

    function guardianDigest(address guardian_) public view returns (bytes32) {
        return _digest(keccak256(abi.encode(GUARDIAN_TYPEHASH, currentSet, guardian_, adminNonce)));
    }

    function signersOf(uint32 setId) external view returns (address[] memory) {
        return setSigners[setId];
    }

    /// Locks `amount` NMR (approved to this contract first) for the numerstake account
    /// `recipient`.
    function deposit(uint256 amount, bytes32 recipient) external {
        if (paused) revert IsPaused();
        if (amount == 0) revert ZeroAmount();
        if (amount < minDeposit) revert BelowMinimum();
        if (amount > maxDeposit) revert AboveMaximum();
        if (recipient == bytes32(0)) revert ZeroRecipient();
        // The chain's balances are 128-bit.
        if (locked + amount > type(uint128).max) revert TooLarge();
        uint256 before = token.balanceOf(address(this));
        _call(abi.encodeCall(INmr.transferFrom, (msg.sender, address(this), amount)));
        if (token.balanceOf(address(this)) - before != amount) revert NotExact();
        locked += amount;
        uint64 nonce = ++depositNonce;
        emit Deposited(nonce, msg.sender, recipient, amount);
    }

    /// Pays out withdrawal `nonce` (burned on the chain) with `signatures` (65 bytes each,
    /// `r ‖ s ‖ v`, signers in strictly ascending address order) of at least the threshold of
    /// set `setId` over [`releaseDigest`]. Anyone may submit it.
    function release(uint64 nonce, address recipient, uint256 amount, uint32 setId, bytes calldata signatures)
        external
    {
        if (paused) revert IsPaused();
        if (released[nonce]) revert AlreadyReleased();
        if (recipient == address(0)) revert ZeroRecipient();
        if (amount == 0) revert ZeroAmount();
        if (setId > currentSet) revert UnknownSet();
        if (setId < currentSet) {
            if (block.timestamp > retiredAt[setId] + rotationGrace) revert SetExpired();
            if (nonce >= cutoffOf[setId]) revert AfterCutoff();
        }
        _verify(setId, releaseDigest(nonce, recipient, amount, setId), signatures);
        if (block.timestamp >= windowStart + window) {
            windowStart = block.timestamp;
            windowReleased = 0;
        }
        if (windowReleased + amount > windowCap) revert OverWindowCap();
        windowReleased += amount;
        released[nonce] = true;
        locked -= amount;
        emit Released(nonce, recipient, amount, setId);
        _call(abi.encodeCall(INmr.transfer, (recipient, amount)));
    }

    /// Installs the next relayer set, on the current set's threshold of signatures.
    function rotate(address[] calldata signers, uint16 threshold, uint64 cutoff, bytes calldata signatures)
        external
    {
        uint32 current = currentSet;
        _verify(current, rotateDigest(signers, threshold, cutoff), signatures);
        retiredAt[current] = block.timestamp;
        cutoffOf[current] = cutoff;
        _install(current + 1, signers, threshold);
    }

    /// The guardian stops deposits and releases.
    function pause() external {
        if (msg.sender != guardian) revert NotGuardian();
        paused = true;
        emit Paused(msg.sender);
    }

    /// Resumes, on the current set's threshold of signatures.
    function unpause(bytes calldata signatures) external {
        if (!paused) revert NotPaused();
        _verify(currentSet, unpauseDigest(), signatures);
        adminNonce += 1;
        paused = false;
        emit Unpaused();
    }

    /// Replaces the guardian, on the current set's threshold of signatures.
    function setGuardian(address guardian_, bytes calldata signatures) external {
        _verify(currentSet, guardianDigest(guardian_), signatures);
        adminNonce += 1;
        guardian = guardian_;
        emit GuardianSet(guardian_);
    }

    function _digest(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    function _install(uint32 setId, address[] memory signers, uint16 threshold) private {
        uint256 n = signers.length;
        if (n == 0 || n > MAX_SIGNERS || threshold < minThreshold || uint256(threshold) * 2 <= n || threshold > n) {
            revert BadSignerSet();
        }
        address last = address(0);
        for (uint256 i = 0; i < n; i++) {
            if (signers[i] <= last) revert BadSignerSet();
            last = signers[i];
            isSigner[setId][signers[i]] = true;
        }
        setSigners[setId] = signers;
        thresholdOf[setId] = threshold;
        currentSet = setId;
        emit SignerSetInstalled(setId, signers, threshold);
    }

    function _verify(uint32 setId, bytes32 digest, bytes calldata signatures) private view {
        if (signatures.length % 65 != 0) revert BadSignature();
        uint256 count = signatures.length / 65;
        uint16 threshold = thresholdOf[setId];
        if (threshold == 0) revert UnknownSet();
        if (count < threshold) revert BelowThreshold();
        address last = address(0);
        for (uint256 i = 0; i < count; i++) {
            bytes32 r = bytes32(signatures[i * 65:i * 65 + 32]);
            bytes32 s = bytes32(signatures[i * 65 + 32:i * 65 + 64]);
            uint8 v = uint8(signatures[i * 65 + 64]);
            if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) revert BadSignature();
            address signer = ecrecover(digest, v, r, s);
            if (signer == address(0)) revert BadSignature();
            if (signer <= last) revert SignersNotAscending();
            if (!isSigner[setId][signer]) revert NotASigner();
            last = signer;
        }
    }

    /// Calls the token, accepting `true` or no return data (as older ERC-20s give).
    function _call(bytes memory data) private {
        (bool ok, bytes memory ret) = address(token).call(data);
        if (!ok || (ret.length != 0 && (ret.length != 32 || abi.decode(ret, (uint256)) != 1))) {
            revert TokenTransferFailed();
        }
    }
}
