//! Secrets at rest. Marketplace keys are sealed with ChaCha20-Poly1305 (an AEAD) under a
//! 32-byte master key taken from `MPBOT_SECRET_KEY` (base64) or, when that is unset, from
//! a key file next to the SQLite database that is generated on first run with 0600
//! permissions. A sealed value names the key that sealed it, so `mpbot rotate-key` can
//! re-seal everything under a new key and an interrupted rotation still opens.
//!
//! Sealed form: `v1.<key id>.<base64url(nonce || ciphertext || tag)>`. The associated data
//! is a context string (`cabinet:<workspace>`, `draft:<chat>`), so a sealed value copied
//! into another row does not open.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The variable holding the master key (base64 of 32 bytes).
pub const KEY_VAR: &str = "MPBOT_SECRET_KEY";
/// The variable holding the key `mpbot rotate-key` re-seals under, when keys come from the
/// environment.
pub const NEW_KEY_VAR: &str = "MPBOT_NEW_SECRET_KEY";
/// The key file's name beside the database.
pub const KEY_FILE_NAME: &str = "mpbot.key";

const PREFIX: &str = "v1";
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Why a secret could not be sealed, opened or loaded.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the master key must be base64 of exactly 32 bytes ({0})")]
    BadKey(String),
    #[error("a secret was sealed with key {0}, which is not loaded")]
    UnknownKey(String),
    #[error("a sealed secret does not open: it is damaged or belongs elsewhere")]
    Tampered,
    #[error("no randomness available")]
    Random,
    #[error("key file {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// A 32-byte master key. Its `Debug` shows only its id.
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; 32],
    id: String,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey({})", self.id)
    }
}

impl MasterKey {
    fn from_bytes(bytes: [u8; 32]) -> MasterKey {
        let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
        let id = digest.as_ref()[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        MasterKey { bytes, id }
    }

    /// A fresh random key.
    pub fn generate() -> Result<MasterKey, VaultError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| VaultError::Random)?;
        Ok(MasterKey::from_bytes(bytes))
    }

    /// Reads standard or URL-safe base64, padded or not, surrounding whitespace ignored.
    pub fn from_base64(text: &str) -> Result<MasterKey, VaultError> {
        let t = text.trim();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(t)
            .or_else(|_| B64.decode(t.trim_end_matches('=')))
            .map_err(|_| VaultError::BadKey("not base64".into()))?;
        let bytes: [u8; 32] = decoded
            .try_into()
            .map_err(|v: Vec<u8>| VaultError::BadKey(format!("{} bytes", v.len())))?;
        Ok(MasterKey::from_bytes(bytes))
    }

    /// The key as standard base64, for the key file only.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.bytes)
    }

    /// A short public fingerprint naming the key in sealed values and logs.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn aead(&self) -> LessSafeKey {
        // The length is fixed at 32, which is what ChaCha20-Poly1305 takes.
        let unbound = UnboundKey::new(&CHACHA20_POLY1305, &self.bytes)
            .unwrap_or_else(|_| unreachable!("a 32-byte key is always valid"));
        LessSafeKey::new(unbound)
    }
}

/// The keys secrets are sealed and opened with: the first seals, all open.
#[derive(Clone)]
pub struct Vault {
    keys: Vec<MasterKey>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(MasterKey::id).collect();
        write!(f, "Vault({ids:?})")
    }
}

impl Vault {
    pub fn new(key: MasterKey) -> Vault {
        Vault { keys: vec![key] }
    }

    /// A vault that seals with `current` and still opens what `older` keys sealed.
    pub fn with_older(current: MasterKey, older: Vec<MasterKey>) -> Vault {
        let mut keys = vec![current];
        keys.extend(older);
        Vault { keys }
    }

    /// This vault's keys, with `key` sealing from now on.
    pub fn with_sealing_key(&self, key: MasterKey) -> Vault {
        let older: Vec<MasterKey> = self
            .keys
            .iter()
            .filter(|k| k.id() != key.id())
            .cloned()
            .collect();
        let mut keys = vec![key];
        keys.extend(older);
        Vault { keys }
    }

    /// A vault with a fresh random key (tests, consoles).
    pub fn ephemeral() -> Result<Vault, VaultError> {
        Ok(Vault::new(MasterKey::generate()?))
    }

    /// The id of the sealing key.
    pub fn key_id(&self) -> &str {
        self.keys[0].id()
    }

    pub fn seal(&self, plaintext: &[u8], context: &str) -> Result<String, VaultError> {
        let key = &self.keys[0];
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| VaultError::Random)?;
        let mut data = plaintext.to_vec();
        key.aead()
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.as_bytes()),
                &mut data,
            )
            .map_err(|_| VaultError::Tampered)?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&data);
        Ok(format!("{PREFIX}.{}.{}", key.id(), B64.encode(blob)))
    }

    pub fn open(&self, sealed: &str, context: &str) -> Result<Vec<u8>, VaultError> {
        let mut parts = sealed.splitn(3, '.');
        let (Some(PREFIX), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(VaultError::Tampered);
        };
        let key = self
            .keys
            .iter()
            .find(|k| k.id() == id)
            .ok_or_else(|| VaultError::UnknownKey(id.to_owned()))?;
        let blob = B64.decode(body).map_err(|_| VaultError::Tampered)?;
        if blob.len() < NONCE_LEN {
            return Err(VaultError::Tampered);
        }
        let (nonce, rest) = blob.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| VaultError::Tampered)?;
        let mut data = rest.to_vec();
        let plain = key
            .aead()
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut data)
            .map_err(|_| VaultError::Tampered)?;
        Ok(plain.to_vec())
    }

    pub fn seal_json<T: Serialize>(&self, value: &T, context: &str) -> Result<String, VaultError> {
        let bytes = serde_json::to_vec(value).map_err(|_| VaultError::Tampered)?;
        self.seal(&bytes, context)
    }

    pub fn open_json<T: DeserializeOwned>(
        &self,
        sealed: &str,
        context: &str,
    ) -> Result<T, VaultError> {
        let bytes = self.open(sealed, context)?;
        serde_json::from_slice(&bytes).map_err(|_| VaultError::Tampered)
    }

    /// Re-seals every sealed value inside `text` (a cell, a JSON document) under the
    /// sealing key; returns the new text and how many values were re-sealed.
    pub fn reseal_all(&self, text: &str, context: &str) -> Result<(String, usize), VaultError> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        let mut count = 0;
        let marker = format!("{PREFIX}.");
        while let Some(at) = rest.find(&marker) {
            out.push_str(&rest[..at]);
            let candidate = &rest[at..];
            let end = candidate
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
                .map(|(i, _)| i)
                .unwrap_or(candidate.len());
            let token = &candidate[..end];
            let is_sealed = token.splitn(3, '.').count() == 3
                && self
                    .keys
                    .iter()
                    .any(|k| token[marker.len()..].starts_with(k.id()));
            if is_sealed {
                let plain = self.open(token, context)?;
                out.push_str(&self.seal(&plain, context)?);
                count += 1;
            } else {
                out.push_str(token);
            }
            rest = &candidate[end..];
        }
        out.push_str(rest);
        Ok((out, count))
    }
}

/// Where the master key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Env,
    File { path: PathBuf, created: bool },
}

/// The key file for a database URL: beside a SQLite file, else in the working directory.
pub fn key_file_for(database_url: &str) -> PathBuf {
    let sqlite = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"));
    match sqlite.map(|p| p.split('?').next().unwrap_or(p)) {
        Some(p) if !p.is_empty() && !p.contains(":memory:") => Path::new(p)
            .parent()
            .map(|d| d.join(KEY_FILE_NAME))
            .unwrap_or_else(|| PathBuf::from(KEY_FILE_NAME)),
        _ => PathBuf::from(KEY_FILE_NAME),
    }
}

/// The file a rotation writes the new key to before it commits.
pub fn pending_file(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".new");
    path.with_file_name(name)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> VaultError + '_ {
    move |error| VaultError::Io {
        path: path.to_owned(),
        error,
    }
}

/// Reads a key file.
pub fn read_key_file(path: &Path) -> Result<MasterKey, VaultError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    MasterKey::from_base64(&text)
}

/// Writes a key file readable by its owner only; fails if it exists.
pub fn write_key_file(path: &Path, key: &MasterKey) -> Result<(), VaultError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(path))?;
    }
    let mut file = options.open(path).map_err(io(path))?;
    file.write_all(format!("{}\n", key.to_base64()).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io(path))
}

/// Makes the pending key written by a rotation the key file (after its commit).
pub fn commit_pending(path: &Path) -> Result<(), VaultError> {
    std::fs::rename(pending_file(path), path).map_err(io(path))
}

/// Loads the master key: `env_key` (the value of `MPBOT_SECRET_KEY`) when given, else the
/// key file for the database, generated when missing. A pending key left by an
/// interrupted rotation is loaded too, so values it sealed still open.
pub fn load(env_key: Option<&str>, database_url: &str) -> Result<(Vault, KeySource), VaultError> {
    if let Some(k) = env_key.filter(|k| !k.trim().is_empty()) {
        return Ok((Vault::new(MasterKey::from_base64(k)?), KeySource::Env));
    }
    let path = key_file_for(database_url);
    let pending = pending_file(&path);
    let extra: Vec<MasterKey> = if pending.exists() {
        vec![read_key_file(&pending)?]
    } else {
        Vec::new()
    };
    if path.exists() {
        let key = read_key_file(&path)?;
        return Ok((
            Vault::with_older(key, extra),
            KeySource::File {
                path,
                created: false,
            },
        ));
    }
    let key = MasterKey::generate()?;
    write_key_file(&path, &key)?;
    Ok((
        Vault::with_older(key, extra),
        KeySource::File {
            path,
            created: true,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_context() {
        let vault = Vault::ephemeral().expect("vault");
        let sealed = vault.seal(b"api-key-123", "cabinet:1").expect("seals");
        assert!(!sealed.contains("api-key-123"));
        assert!(sealed.starts_with(&format!("v1.{}.", vault.key_id())));
        assert_eq!(
            vault.open(&sealed, "cabinet:1").expect("opens"),
            b"api-key-123"
        );
        assert!(matches!(
            vault.open(&sealed, "cabinet:2"),
            Err(VaultError::Tampered)
        ));
        let other = Vault::ephemeral().expect("vault");
        assert!(matches!(
            other.open(&sealed, "cabinet:1"),
            Err(VaultError::UnknownKey(_))
        ));
        let mut damaged = sealed.clone();
        damaged.pop();
        damaged.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(vault.open(&damaged, "cabinet:1").is_err());
        // The same plaintext seals differently every time (random nonce).
        assert_ne!(
            sealed,
            vault.seal(b"api-key-123", "cabinet:1").expect("seals")
        );
    }

    #[test]
    fn keys_parse_from_base64_and_never_show_in_debug() {
        let key = MasterKey::generate().expect("key");
        let text = key.to_base64();
        let again = MasterKey::from_base64(&format!("  {text}\n")).expect("parses");
        assert_eq!(again.id(), key.id());
        assert!(!format!("{key:?}").contains(&text));
        assert!(!format!("{:?}", Vault::new(key)).contains(&text));
        assert!(matches!(
            MasterKey::from_base64("c2hvcnQ="),
            Err(VaultError::BadKey(_))
        ));
        assert!(MasterKey::from_base64("not base64 at all!").is_err());
    }

    #[test]
    fn resealing_moves_every_value_to_the_new_key() {
        let old = MasterKey::generate().expect("key");
        let new = MasterKey::generate().expect("key");
        let before = Vault::new(old.clone());
        let a = before.seal(b"one", "draft:5").expect("seals");
        let b = before.seal(b"two", "draft:5").expect("seals");
        let doc = format!(r#"{{"x":"{a}","y":["{b}"],"z":"v1.plain"}}"#);
        let rotating = Vault::with_older(new.clone(), vec![old]);
        let (text, n) = rotating.reseal_all(&doc, "draft:5").expect("reseals");
        assert_eq!(n, 2);
        assert!(text.contains("\"z\":\"v1.plain\""));
        let after = Vault::new(new);
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        let x = v["x"].as_str().expect("x");
        assert_eq!(after.open(x, "draft:5").expect("opens"), b"one");
    }

    #[test]
    fn key_file_is_created_beside_the_database_with_owner_only_access() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("bot.db").display());
        let (vault, source) = load(None, &url).expect("loads");
        let path = dir.path().join(KEY_FILE_NAME);
        assert_eq!(
            source,
            KeySource::File {
                path: path.clone(),
                created: true
            }
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, source) = load(None, &url).expect("loads again");
        assert_eq!(again.key_id(), vault.key_id());
        assert!(matches!(source, KeySource::File { created: false, .. }));
        let env = MasterKey::generate().expect("key");
        let (from_env, source) = load(Some(&env.to_base64()), &url).expect("env");
        assert_eq!(source, KeySource::Env);
        assert_eq!(from_env.key_id(), env.id());
        assert!(load(Some("short"), &url).is_err());
    }
}
