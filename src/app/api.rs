//! The API catalogue (F9) as a company sees it: every request with its effective URL, and
//! the company's overrides of host (only the marketplace's own https hosts), path or
//! version.

use super::{Actor, AppResult};
use crate::domain::{ApiField, ApiOverride, AuditAction, AuditNote, Permission, WorkspaceId};
use crate::marketplaces::endpoints::{self as ep, Catalogue};
pub use crate::marketplaces::endpoints::{Endpoint, Family};
use crate::storage::api_overrides;

/// Why an override value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideError {
    /// A host must be a URL without query or fragment.
    BadHost,
    /// Keys travel in the headers: a host set from chat must be https.
    NotHttps,
    /// A host set from chat must be on the marketplace's own domains; any other host is
    /// the operator's, for the whole deployment.
    ForeignHost,
    /// A path is plain (see [`ep::valid_path`]) and keeps the endpoint's `{placeholders}`.
    BadPath,
    /// A version is `v` and digits.
    BadVersion,
}

/// Checks and normalises an override value for `field` of `entry`.
pub fn parse_override(
    entry: &Endpoint,
    field: ApiField,
    raw: &str,
) -> Result<String, OverrideError> {
    let v = raw.trim();
    match field {
        ApiField::Host => {
            let url = ep::parse_base(v).ok_or(OverrideError::BadHost)?;
            if url.query().is_some() || url.fragment().is_some() || url.host_str().is_none() {
                return Err(OverrideError::BadHost);
            }
            if url.scheme() != "https" {
                return Err(OverrideError::NotHttps);
            }
            if !entry.family.is_official(&url) {
                return Err(OverrideError::ForeignHost);
            }
            Ok(url.to_string())
        }
        ApiField::Path => {
            let placeholders = |p: &str| {
                let mut names: Vec<String> = p
                    .split('{')
                    .skip(1)
                    .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_owned()))
                    .collect();
                names.sort();
                names
            };
            if ep::valid_path(v) && placeholders(v) == placeholders(entry.path) {
                Ok(v.to_owned())
            } else {
                Err(OverrideError::BadPath)
            }
        }
        ApiField::Version if ep::valid_version(v) => Ok(v.to_owned()),
        ApiField::Version => Err(OverrideError::BadVersion),
    }
}

/// Every request of the catalogue.
pub fn entries() -> &'static [&'static Endpoint] {
    ep::ALL
}

/// The catalogue entry called `name`.
pub fn entry(name: &str) -> Option<&'static Endpoint> {
    ep::ALL.iter().copied().find(|e| e.name == name)
}

impl crate::app::rooms::Api<'_> {
    /// Sets one part of an endpoint's override and applies it at once.
    pub async fn set_api_override(
        &self,
        actor: Actor,
        entry: &Endpoint,
        field: ApiField,
        value: &str,
    ) -> AppResult<()> {
        actor.require(Permission::ManageSettings)?;
        let mut all = api_overrides::of(&self.db, actor.workspace).await?;
        let mut o: ApiOverride = all.remove(entry.name).unwrap_or_default();
        match field {
            ApiField::Host => o.host = Some(value.to_owned()),
            ApiField::Path => o.path = Some(value.to_owned()),
            ApiField::Version => o.version = Some(value.to_owned()),
        }
        let now = self.clock.unix();
        api_overrides::set(
            &self.db,
            actor.workspace,
            entry.name,
            &o,
            Some(actor.user),
            now,
        )
        .await?;
        super::audit_by(
            self.db.pool(),
            actor,
            AuditAction::ApiOverride,
            &AuditNote::Api {
                endpoint: entry.name.to_owned(),
                field,
                value: value.to_owned(),
            },
            now,
        )
        .await?;
        Ok(())
    }

    /// Removes an endpoint's override; returns whether there was one.
    pub async fn reset_api_override(&self, actor: Actor, entry: &Endpoint) -> AppResult<bool> {
        actor.require(Permission::ManageSettings)?;
        let had = api_overrides::clear(&self.db, actor.workspace, entry.name).await?;
        if had {
            super::audit_by(
                self.db.pool(),
                actor,
                AuditAction::ApiReset,
                &AuditNote::Name {
                    name: entry.name.to_owned(),
                },
                self.clock.unix(),
            )
            .await?;
        }
        Ok(had)
    }

    /// The workspace's own override of an endpoint.
    pub async fn api_override(
        &self,
        actor: Actor,
        entry: &Endpoint,
    ) -> AppResult<Option<ApiOverride>> {
        actor.require(Permission::ManageSettings)?;
        Ok(api_overrides::of(&self.db, actor.workspace)
            .await?
            .remove(entry.name))
    }

    /// Every override the actor's workspace has, by endpoint name.
    pub async fn api_overrides(
        &self,
        actor: Actor,
    ) -> AppResult<std::collections::HashMap<String, ApiOverride>> {
        actor.require(Permission::ManageSettings)?;
        Ok(api_overrides::of(&self.db, actor.workspace).await?)
    }

    /// What an entry resolves to now for the actor's cabinets: base URL and path, the
    /// deployment's and the workspace's overrides applied.
    pub async fn effective_url(&self, actor: Actor, e: &Endpoint) -> AppResult<String> {
        actor.require(Permission::ManageSettings)?;
        let catalogue = self.catalogue_for(actor.workspace).await?;
        let o = catalogue.override_of(e.name);
        let o = o.as_ref();
        let base = o
            .and_then(|o| o.host.clone())
            .or_else(|| catalogue.base(e.family).map(|u| u.to_string()))
            .unwrap_or_default();
        let mut path = o
            .and_then(|o| o.path.clone())
            .unwrap_or_else(|| e.path.to_owned());
        if let Some(v) = o.and_then(|o| o.version.clone()) {
            path = ep::replace_version(&path, &v);
        }
        Ok(format!(
            "{}{}",
            ep::shown(&base).trim_end_matches('/'),
            path
        ))
    }

    /// The API catalogue as a workspace's cabinets use it: the deployment's overrides and
    /// then the workspace's own.
    pub async fn catalogue_for(&self, ws: WorkspaceId) -> AppResult<Catalogue> {
        Ok(self
            .catalogue
            .scoped(api_overrides::of(&self.db, ws).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_are_checked_per_field() {
        let e = &ep::OZON_ROLES;
        assert_eq!(
            parse_override(e, ApiField::Host, " https://api-seller.ozon.ru ").as_deref(),
            Ok("https://api-seller.ozon.ru/")
        );
        assert_eq!(
            parse_override(e, ApiField::Host, "ftp://x"),
            Err(OverrideError::BadHost)
        );
        assert_eq!(
            parse_override(e, ApiField::Host, "http://127.0.0.1:19999"),
            Err(OverrideError::NotHttps)
        );
        assert_eq!(
            parse_override(e, ApiField::Host, "https://api.example.ru"),
            Err(OverrideError::ForeignHost)
        );
        assert_eq!(
            parse_override(e, ApiField::Host, "https://marketplace-api.wildberries.ru"),
            Err(OverrideError::ForeignHost),
            "another marketplace's host is foreign too"
        );
        assert_eq!(
            parse_override(e, ApiField::Path, "/v2/roles").as_deref(),
            Ok("/v2/roles")
        );
        assert_eq!(
            parse_override(e, ApiField::Path, "v2/roles"),
            Err(OverrideError::BadPath)
        );
        assert_eq!(
            parse_override(e, ApiField::Path, "/v2/{id}"),
            Err(OverrideError::BadPath)
        );
        assert_eq!(
            parse_override(e, ApiField::Version, "v3").as_deref(),
            Ok("v3")
        );
        assert_eq!(
            parse_override(e, ApiField::Version, "3"),
            Err(OverrideError::BadVersion)
        );
    }
}
