//! Loopback HTTP doubles with the real wire formats, used by the tests, `mpbot sandbox`
//! and `mpbot console`.

pub mod common;
pub mod fbo;
pub mod harness;
pub mod novaposhta;
pub mod ozon;
pub mod smtp;
pub mod telegram;
pub mod wb;
pub mod ym;

use std::sync::Arc;

use crate::clock::SharedClock;
use crate::marketplaces::endpoints::{Catalogue, Family, parse_base};

/// How to seed every sandbox.
#[derive(Debug, Clone, Copy)]
pub struct SeedOptions {
    pub seed: u64,
    pub products: usize,
    pub orders_per_hour: u32,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions {
            seed: 1,
            products: 40,
            orders_per_hour: 6,
        }
    }
}

/// All marketplace sandboxes, running on loopback.
pub struct Sandboxes {
    pub ozon: Arc<ozon::OzonSandbox>,
    pub wb: Arc<wb::WbSandbox>,
    pub ym: Arc<ym::YmSandbox>,
    pub novaposhta: Arc<novaposhta::NovaPoshtaSandbox>,
    /// Base URL per API family.
    pub urls: Vec<(Family, String)>,
}

impl Sandboxes {
    /// Seeds and starts every sandbox.
    pub async fn start(clock: SharedClock, seed: SeedOptions) -> std::io::Result<Sandboxes> {
        // Each marketplace gets its own stream of generated data from the one seed.
        let ozon = ozon::OzonSandbox::new(clock.clone(), seed);
        let wb = wb::WbSandbox::new(
            clock.clone(),
            SeedOptions {
                seed: seed.seed + 1,
                ..seed
            },
        );
        let ym = ym::YmSandbox::new(
            clock.clone(),
            SeedOptions {
                seed: seed.seed + 2,
                ..seed
            },
        );
        let novaposhta = novaposhta::NovaPoshtaSandbox::new(clock);
        let mut urls = vec![(Family::Ozon, ozon.start().await?)];
        urls.extend(wb.start().await?);
        urls.push((Family::Ym, ym.start().await?));
        urls.push((Family::NovaPoshta, novaposhta.start().await?));
        Ok(Sandboxes {
            ozon,
            wb,
            ym,
            novaposhta,
            urls,
        })
    }

    /// Lists `n` goods on all three marketplaces under one vendor code and barcode each, as
    /// a seller who sells the same goods everywhere would (the demo's shared catalogue).
    pub fn list_shared_goods(&self, seed: u64, n: usize) {
        let mut rng = common::Rng::new(seed ^ 0x5EED);
        let goods: Vec<common::Goods> = (1..=n)
            .map(|i| common::Goods {
                vendor_code: format!("KR-{i:04}"),
                name: common::product_name(&mut rng),
                barcode: common::ean13(&mut rng),
            })
            .collect();
        self.ozon.list_goods(&goods);
        self.wb.list_goods(&goods);
        self.ym.list_goods(&goods);
    }

    /// A catalogue pointing every family at its sandbox.
    pub fn catalogue(&self) -> Catalogue {
        let bases: Vec<_> = self
            .urls
            .iter()
            .filter_map(|(f, u)| parse_base(u).map(|u| (*f, u)))
            .collect();
        Catalogue::with_bases(&bases)
    }

    /// One `NAME URL` line per API family, then the demo credentials.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for (f, u) in &self.urls {
            out.push_str(&format!("{} {}\n", f.name(), u.trim_end_matches('/')));
        }
        out.push_str("demo credentials:\n");
        out.push_str(&format!(
            "  ozon Client-Id {} Api-Key {}\n",
            ozon::DEMO_CLIENT_ID,
            ozon::DEMO_API_KEY
        ));
        out.push_str(&format!(
            "  wb token (all categories) {}\n",
            wb::demo_token_full()
        ));
        out.push_str(&format!(
            "  wb token (content and marketplace only) {}\n",
            wb::demo_token_partial()
        ));
        let campaigns: Vec<String> = ym::DEMO_CAMPAIGNS
            .iter()
            .map(|(id, _, kind)| format!("{id} ({kind})"))
            .collect();
        out.push_str(&format!(
            "  ym Api-Key {} business {} campaigns {}\n",
            ym::DEMO_API_KEY,
            ym::DEMO_BUSINESS_ID,
            campaigns.join(", ")
        ));
        out.push_str(&format!(
            "  novaposhta apiKey {}\n",
            novaposhta::DEMO_API_KEY
        ));
        out
    }
}
