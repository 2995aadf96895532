// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice Which model files may serve and trade, as decided by governance: the owner (the Timelock) approves a
/// version of a model by the SHA-256 of its ONNX file and of its manifest, activates one approved version per model,
/// and revokes versions for good. A model is named by a 32-byte id and a version starting at 1, and committed to by
/// hashes (the shape of draft ERC-7992's registry); nothing on chain runs the model.
contract ModelRegistry is Ownable {
    enum Status {
        Unknown,
        Approved,
        Revoked
    }

    struct Model {
        bytes32 modelId;
        uint64 version;
        Status status;
        uint64 approvedAtBlock;
        bytes32 onnxSha256;
        bytes32 manifestSha256;
        string uri;
    }

    error ZeroModelId();
    error ZeroVersion();
    error ZeroHash();
    error AlreadyRegistered(bytes32 modelId, uint64 version);
    error OnnxAlreadyRegistered(bytes32 onnxSha256);
    error UnknownModel(bytes32 modelId, uint64 version);
    error RevokedModel(bytes32 modelId, uint64 version);
    error AlreadyActive(bytes32 modelId, uint64 version);

    event ModelApproved(
        bytes32 indexed modelId, uint64 indexed version, bytes32 indexed onnxSha256, bytes32 manifestSha256, string uri
    );
    event ModelActivated(bytes32 indexed modelId, uint64 indexed version, uint64 previousVersion);
    event ModelRevoked(bytes32 indexed modelId, uint64 indexed version, bool wasActive);

    mapping(bytes32 modelId => mapping(uint64 version => Model)) private _models;
    mapping(bytes32 onnxSha256 => bool) private _onnxSeen;
    mapping(bytes32 modelId => uint64) private _active;
    bytes32[2][] private _keys;

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Approves a version of a model; refuses zero ids, versions and hashes, and any id/version or ONNX hash
    /// registered before (even if revoked), so an approval can never be recycled.
    function approve(bytes32 modelId, uint64 version, bytes32 onnxSha256, bytes32 manifestSha256, string calldata uri)
        external
        onlyOwner
    {
        if (modelId == bytes32(0)) revert ZeroModelId();
        if (version == 0) revert ZeroVersion();
        if (onnxSha256 == bytes32(0) || manifestSha256 == bytes32(0)) revert ZeroHash();
        Model storage model = _models[modelId][version];
        if (model.status != Status.Unknown) revert AlreadyRegistered(modelId, version);
        if (_onnxSeen[onnxSha256]) revert OnnxAlreadyRegistered(onnxSha256);
        _onnxSeen[onnxSha256] = true;
        model.modelId = modelId;
        model.version = version;
        model.status = Status.Approved;
        model.approvedAtBlock = uint64(block.number);
        model.onnxSha256 = onnxSha256;
        model.manifestSha256 = manifestSha256;
        model.uri = uri;
        _keys.push([modelId, bytes32(uint256(version))]);
        emit ModelApproved(modelId, version, onnxSha256, manifestSha256, uri);
    }

    /// @notice Makes an approved version the model's active one; refuses unknown and revoked versions.
    function activate(bytes32 modelId, uint64 version) external onlyOwner {
        Status status = _models[modelId][version].status;
        if (status == Status.Unknown) revert UnknownModel(modelId, version);
        if (status == Status.Revoked) revert RevokedModel(modelId, version);
        uint64 previous = _active[modelId];
        if (previous == version) revert AlreadyActive(modelId, version);
        _active[modelId] = version;
        emit ModelActivated(modelId, version, previous);
    }

    /// @notice Revokes a version for good; if it was active, the model has no active version until another activate.
    function revoke(bytes32 modelId, uint64 version) external onlyOwner {
        Model storage model = _models[modelId][version];
        if (model.status == Status.Unknown) revert UnknownModel(modelId, version);
        if (model.status == Status.Revoked) revert RevokedModel(modelId, version);
        model.status = Status.Revoked;
        bool wasActive = _active[modelId] == version;
        if (wasActive) _active[modelId] = 0;
        emit ModelRevoked(modelId, version, wasActive);
    }

    function modelOf(bytes32 modelId, uint64 version) external view returns (Model memory) {
        return _models[modelId][version];
    }

    function activeVersion(bytes32 modelId) external view returns (uint64) {
        return _active[modelId];
    }

    function modelCount() external view returns (uint256) {
        return _keys.length;
    }

    /// @notice Every registered version in approval order, with its status; one call for a whole registry snapshot.
    function allModels() external view returns (Model[] memory models, uint64[] memory activeVersions) {
        uint256 n = _keys.length;
        models = new Model[](n);
        activeVersions = new uint64[](n);
        for (uint256 i = 0; i < n; i++) {
            bytes32 id = _keys[i][0];
            models[i] = _models[id][uint64(uint256(_keys[i][1]))];
            activeVersions[i] = _active[id];
        }
    }
}
