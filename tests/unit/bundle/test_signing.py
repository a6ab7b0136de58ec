"""Bundle signatures as OPA makes and checks them: hashes, JWTs, keys, scope, file sets."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jwt
import pytest
from bundle_support import KeyPair, ec_pair, hmac_secret, rsa_pair

from procgate.bundle.hashing import canonical, file_hash, go_string
from procgate.bundle.sign import signatures
from procgate.bundle.trust import Trust, VerificationKey
from procgate.bundle.verify import verify
from procgate.errors import BundleError

VECTORS = json.loads(
    (Path(__file__).parents[2] / "data" / "bundle" / "opa-signing-vectors.json").read_text()
)
HERE = Path("b.tar.gz")


# ---------------------------------------------------------------- hashes


def test_opa_known_answer_for_a_structured_file() -> None:
    """OPA's TestVerifyBundleFile: the .manifest `{"revision": "quickbrownfaux"}` hashes (MD5,
    structured) to a005c38a…; procgate refuses MD5 for signatures but canonicalizes alike."""
    v = VECTORS["verify_bundle_file_md5"]
    assert hashlib.md5(canonical(v["name"], v["content"].encode())).hexdigest() == v["hash"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"b": 1, "a": [true, null, 1.50, -0, 1e3]}', '{"a":[true,null,1.50,-0,1e3],"b":1}'),
        ('{"é": 1, "z": 2, "Z": 3}', '{"Z":3,"z":2,"é":1}'),  # byte order, as Go's sort.Strings
        ('{"s": "<a&b>\\u2028\\n\\u0001\\"\\\\ é"}', '{"s":"<a&b>\\u2028\\n\\u0001\\"\\\\ é"}'),
        ('  {\n "nested": {"y": {}, "x": []}\n}\n', '{"nested":{"x":[],"y":{}}}'),
    ],
)
def test_structured_files_hash_in_opa_canonical_form(text: str, expected: str) -> None:
    assert canonical("data.json", text.encode()) == expected.encode()
    assert file_hash("x/data.json", text.encode()) == hashlib.sha256(expected.encode()).hexdigest()


def test_other_files_hash_as_bytes() -> None:
    raw = b'{"b": 1, "a": 2}'
    assert file_hash("lists/x.json", raw) == hashlib.sha256(raw).hexdigest()
    assert file_hash("p.rego", b"package p\n") == hashlib.sha256(b"package p\n").hexdigest()


def test_go_string_escapes_like_encoding_json_without_html_escaping() -> None:
    assert go_string("a\b\f\t\x7f\u2029") == '"a\\b\\f\\t\x7f\\u2029"'


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-1", "sha256", "SHA256"])
def test_weak_or_unknown_hash_algorithms_are_refused(algorithm: str) -> None:
    with pytest.raises(BundleError, match="is not accepted"):
        file_hash("p.rego", b"", algorithm)


def test_broken_structured_files_are_an_error_not_a_crash() -> None:
    for raw in (b"{", b"[" * 100_000, b'{"a": NaN}', b"\xff"):
        with pytest.raises(BundleError, match="not valid JSON"):
            canonical("data.json", raw)


# ---------------------------------------------------------------- sign, then verify

ENTRIES = {
    ".manifest": b'{"revision": "v1", "roots": ["acme"]}',
    "data.json": b'{"acme": {"limit": 1.50}}',
    "acme/p.rego": b'package acme\n\ndeny contains "no" if input.x\n',
}


def _signed(keys: KeyPair, key_id: str = "default", scope: str = "") -> dict[str, bytes]:
    return {
        **ENTRIES,
        ".signatures.json": signatures(ENTRIES, keys.private, keys.algorithm, key_id, scope),
    }


def _trust(keys: KeyPair, key_id: str = "default", **kw: str) -> Trust:
    return Trust(
        keys=(VerificationKey(key_id, keys.public, keys.algorithm, kw.pop("key_scope", "")),), **kw
    )


@pytest.mark.parametrize("make", [rsa_pair, ec_pair, hmac_secret])
def test_sign_then_verify(tmp_path: Path, make) -> None:
    keys = make(tmp_path)
    assert verify(_signed(keys), _trust(keys), HERE) == "default"


def test_the_token_is_what_opa_writes(tmp_path: Path) -> None:
    keys = rsa_pair(tmp_path)
    doc = json.loads(_signed(keys, "release", "procurement")[".signatures.json"])
    [token] = doc["signatures"]
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": "release", "typ": "JWT"}
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["keyid"] == "release" and payload["scope"] == "procurement"
    assert payload["files"] == [
        {"name": n, "hash": file_hash(n, ENTRIES[n]), "algorithm": "SHA-256"}
        for n in sorted(ENTRIES)
    ]


def test_unsigned_is_refused_unless_explicitly_allowed(tmp_path: Path) -> None:
    keys = rsa_pair(tmp_path)
    with pytest.raises(BundleError, match=r"is not signed \(it has no .signatures.json\)"):
        verify(ENTRIES, _trust(keys), HERE)
    with pytest.raises(BundleError, match="is not signed"):
        verify(ENTRIES, Trust(), HERE)
    assert verify(ENTRIES, Trust(allow_unsigned=True), HERE) is None


def test_signed_but_no_key_configured_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="no key to verify it is configured"):
        verify(_signed(rsa_pair(tmp_path)), Trust(), HERE)


def test_another_key_is_refused(tmp_path: Path) -> None:
    signer, other = rsa_pair(tmp_path, "a"), rsa_pair(tmp_path, "b")
    with pytest.raises(BundleError, match="does not verify with key 'default'"):
        verify(_signed(signer), _trust(other), HERE)
    # A wrong signature is refused even when unsigned bundles are allowed: it is tampering.
    with pytest.raises(BundleError, match="does not verify"):
        verify(_signed(signer), _trust(other, allow_unsigned=True), HERE)


@pytest.mark.parametrize("change", ["edit", "add", "remove", "manifest"])
def test_files_must_be_exactly_the_signed_ones(tmp_path: Path, change: str) -> None:
    keys = rsa_pair(tmp_path)
    entries = _signed(keys)
    if change == "edit":
        entries["acme/p.rego"] = b"package acme\n"
        why = "'acme/p.rego' does not match its signed hash"
    elif change == "add":
        entries["acme/python/evil.py"] = b"import os\n"
        why = "'acme/python/evil.py' not covered by the signature"
    elif change == "remove":
        del entries["acme/p.rego"]
        why = "lists 'acme/p.rego', which the bundle does not hold"
    else:
        entries[".manifest"] = b'{"revision": "v2", "roots": ["acme"]}'
        why = "'.manifest' does not match its signed hash"
    with pytest.raises(BundleError, match=why):
        verify(entries, _trust(keys), HERE)


def test_reformatted_json_still_verifies_as_in_opa(tmp_path: Path) -> None:
    keys = rsa_pair(tmp_path)
    entries = _signed(keys)
    entries["data.json"] = b'{\n  "acme": {\n    "limit": 1.50\n  }\n}\n'
    assert verify(entries, _trust(keys), HERE) == "default"
    entries["data.json"] = b'{"acme": {"limit": 1.5}}'  # the number as written is signed
    with pytest.raises(BundleError, match="does not match its signed hash"):
        verify(entries, _trust(keys), HERE)


def test_scope_must_match(tmp_path: Path) -> None:
    keys = rsa_pair(tmp_path)
    assert verify(_signed(keys, scope="write"), _trust(keys, scope="write"), HERE)
    assert verify(_signed(keys, scope="write"), _trust(keys, key_scope="write"), HERE)
    with pytest.raises(BundleError, match="scope 'write' is not the configured 'read'"):
        verify(_signed(keys, scope="write"), _trust(keys, scope="read"), HERE)
    with pytest.raises(BundleError, match="scope '' is not the configured 'write'"):
        verify(_signed(keys), _trust(keys, scope="write"), HERE)


def test_the_key_is_chosen_by_config_then_kid(tmp_path: Path) -> None:
    a, b = rsa_pair(tmp_path, "a"), rsa_pair(tmp_path, "b")
    both = (VerificationKey("a", a.public), VerificationKey("b", b.public))
    assert verify(_signed(b, "b"), Trust(keys=both), HERE) == "b"
    assert verify(_signed(b, "a-label"), Trust(keys=both, key_id="b"), HERE) == "b"
    with pytest.raises(BundleError, match="key id 'c', which is not a configured"):
        verify(_signed(b, "c"), Trust(keys=both), HERE)


def test_the_algorithm_is_the_keys_never_the_tokens(tmp_path: Path) -> None:
    """Algorithm confusion: an HS256 token whose secret is the RSA public key's PEM text."""
    keys = rsa_pair(tmp_path)
    body = json.dumps(
        {
            "files": [
                {"name": n, "hash": file_hash(n, d), "algorithm": "SHA-256"}
                for n, d in ENTRIES.items()
            ]
        }
    ).encode()
    forged = jwt.api_jws.encode(body, b"x" * 32, algorithm="HS256", headers={"kid": "default"})
    entries = {**ENTRIES, ".signatures.json": json.dumps({"signatures": [forged]}).encode()}
    with pytest.raises(
        BundleError, match="signed with HS256, but key 'default' is configured for RS256"
    ):
        verify(entries, _trust(keys), HERE)


@pytest.mark.parametrize(
    ("doc", "why"),
    [
        (b"[]", 'no "signatures" list'),
        (b'{"signatures": []}', "exactly one JWT"),
        (b'{"signatures": ["a.b.c", "d.e.f"]}', "exactly one JWT"),
        (b'{"signatures": ["not a jwt"]}', "not a readable JWT"),
        (b'{"signatures": ["x"], "plugin": "custom"}', "signing plugin 'custom'"),
        (b"{", "not JSON"),
    ],
)
def test_malformed_signatures_are_refused(tmp_path: Path, doc: bytes, why: str) -> None:
    with pytest.raises(BundleError, match=why):
        verify({**ENTRIES, ".signatures.json": doc}, _trust(rsa_pair(tmp_path)), HERE)


# ---------------------------------------------------------------- keys


def test_short_hmac_secrets_are_refused_for_signing(tmp_path: Path) -> None:
    short = hmac_secret(tmp_path, size=8)  # 16 hex characters
    with pytest.raises(BundleError, match="HS256 needs a secret of at least 32 bytes"):
        signatures(ENTRIES, short.private, "HS256", "default")


def test_a_private_key_is_not_a_verification_key(tmp_path: Path) -> None:
    keys = rsa_pair(tmp_path)
    trust = Trust(keys=(VerificationKey("default", keys.private),))
    with pytest.raises(BundleError, match="is a private key"):
        verify(_signed(keys), trust, HERE)


def test_key_kind_must_fit_the_algorithm(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="is not an RSA key"):
        signatures(ENTRIES, ec_pair(tmp_path).private, "RS256", "default")
    with pytest.raises(BundleError, match="takes a shared secret"):
        signatures(ENTRIES, rsa_pair(tmp_path).private, "HS256", "default")
    with pytest.raises(BundleError, match="1024-bit RSA key"):
        signatures(ENTRIES, rsa_pair(tmp_path, "small", bits=1024).private, "RS256", "d")


def test_a_fifo_as_key_is_refused_without_hanging(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    with pytest.raises(BundleError, match="not a regular file"):
        signatures(ENTRIES, fifo, "RS256", "default")


# ---------------------------------------------------------------- OPA's own tokens


# Both tokens list a file without its `algorithm` (OPA refuses it too: "no hashing algorithm
# provided for file"), and files this bundle does not hold.
PAST_THE_SIGNATURE = "lists a file without a name, hash and algorithm"


def _with_token(token: str) -> dict[str, bytes]:
    return {**ENTRIES, ".signatures.json": json.dumps({"signatures": [token]}).encode()}


def _secret(tmp_path: Path, text: str) -> Path:
    file = tmp_path / f"{text}.secret"
    file.write_text(text)
    return file


@pytest.mark.parametrize("vector", ["docs_example", "verify_test_hs256"])
def test_opa_hs256_tokens_pass_the_signature_stage(tmp_path: Path, vector: str) -> None:
    """OPA's documented example token and its test token: the signature, key id (payload
    `keyid`) and scope are accepted; the files they list are placeholders, so the bundle is
    then refused at the file stage, as OPA refuses it."""
    v = VECTORS[vector]
    key = VerificationKey(v["keyid"], _secret(tmp_path, v["secret"]), "HS256")
    trust = Trust(keys=(key, VerificationKey("other", key.file, "HS256")), scope=v["scope"])
    with pytest.raises(BundleError, match=PAST_THE_SIGNATURE):
        verify(_with_token(v["token"]), trust, HERE)
    wrong = Trust(
        keys=(VerificationKey(v["keyid"], _secret(tmp_path, "bad_secret"), "HS256"),),
        scope=v["scope"],
    )
    with pytest.raises(BundleError, match="does not verify"):
        verify(_with_token(v["token"]), wrong, HERE)
    with pytest.raises(BundleError, match="scope 'write' is not the configured 'bad_scope'"):
        verify(_with_token(v["token"]), Trust(keys=(key,), scope="bad_scope"), HERE)


def test_opa_rs256_test_token_passes_the_signature_stage(tmp_path: Path) -> None:
    v = VECTORS["verify_test_rs256"]
    public = tmp_path / "opa-public.pem"
    public.write_text(v["public_key"])
    trust = Trust(keys=(VerificationKey("foo", public, "RS256"),), scope="write")
    with pytest.raises(BundleError, match=PAST_THE_SIGNATURE):
        verify(_with_token(v["token"]), trust, HERE)
    other = tmp_path / "other.pem"
    other.write_text(v["other_public_key"])
    with pytest.raises(BundleError, match="1024-bit RSA key"):
        verify(
            _with_token(v["token"]),
            Trust(keys=(VerificationKey("foo", other, "RS256"),), scope="write"),
            HERE,
        )


def test_a_bundle_in_opas_documented_format_verifies(tmp_path: Path) -> None:
    """Built here as OPA's docs describe it, without procgate's signer: `.manifest`,
    `roles/bindings/data.json` (names as in the docs' `tar tzf` listing), an HS256 JWT with
    `kid` in the header and `keyid`/`scope` in the payload, hashes computed by hand."""
    manifest = b'{"revision": "quickbrownfaux"}'
    data = b'{"roles": {"b": [1.50, "x<y"], "a": true}}'
    files = [
        {
            "name": ".manifest",
            "algorithm": "SHA-256",
            "hash": hashlib.sha256(b'{"revision":"quickbrownfaux"}').hexdigest(),
        },
        {
            "name": "roles/bindings/data.json",
            "algorithm": "SHA-256",
            "hash": hashlib.sha256(b'{"roles":{"a":true,"b":[1.50,"x<y"]}}').hexdigest(),
        },
    ]
    secret = "s" * 32
    token = jwt.encode(
        {
            "files": files,
            "iat": 1592248027,
            "iss": "JWTService",
            "keyid": "myPublicKey",
            "scope": "write",
        },
        secret,
        algorithm="HS256",
        headers={"kid": "myPublicKey"},
    )
    entries = {
        ".manifest": manifest,
        "roles/bindings/data.json": data,
        ".signatures.json": json.dumps({"signatures": [token]}).encode(),
    }
    key = VerificationKey("myPublicKey", _secret(tmp_path, secret), "HS256")
    assert verify(entries, Trust(keys=(key,), scope="write"), HERE) == "myPublicKey"


def test_opas_go_engine_verifies_procgates_token(tmp_path: Path) -> None:
    """With OPA's own engine (Go, via opa-golib-python-bindings, when installed): the JWT
    procgate writes verifies with OPA's io.jwt.verify_rs256, and OPA's canonical JSON of the
    .manifest and of the shipped data.json hashes to what procgate signed."""
    opa = pytest.importorskip("opa_bindings")
    keys = rsa_pair(tmp_path)
    [token] = json.loads(_signed(keys)[".signatures.json"])["signatures"]
    engine = opa.OpaEngine()
    pem = keys.public.read_text()
    query = f"x := io.jwt.verify_rs256({json.dumps(token)}, {json.dumps(pem)})"
    assert engine.eval_query(query) == [{"x": True}]
    from procgate.bundle import policy_entries
    from procgate.lists import default_ban_files, load_ban_data

    files = default_ban_files()
    shipped = policy_entries([], files, load_ban_data(files))["data.json"]  # non-ASCII inside
    html = b'{"z": "a&b<c>", "n": [1.50, -0, 2e10], "\xc3\xa9": {"b": 1, "a": null}}'
    for name, raw in (
        (".manifest", ENTRIES[".manifest"]),
        ("data.json", shipped),
        ("x/data.json", html),
    ):
        # OPA's json.marshal is Go's json.Marshal: keys sorted, compact, and &, <, > escaped,
        # which OPA's signature hash leaves as they are.
        marshal = f"json.marshal(json.unmarshal({json.dumps(raw.decode())}))"
        for escaped, char in (("\\u0026", "&"), ("\\u003c", "<"), ("\\u003e", ">")):
            marshal = f"replace({marshal}, {json.dumps(escaped)}, {json.dumps(char)})"
        assert engine.eval_query(f"x := crypto.sha256({marshal})") == [{"x": file_hash(name, raw)}]
