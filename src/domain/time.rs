//! Time zones: IANA names through the tz database (chrono-tz), so local times, local days
//! and ship-by deadlines follow daylight saving and every historical change of a zone.

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};

/// A workspace's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(chrono_tz::Tz);

impl Default for Zone {
    /// Europe/Moscow, the product's home zone.
    fn default() -> Zone {
        Zone(chrono_tz::Europe::Moscow)
    }
}

/// The zones offered in settings, west to east (any other IANA name works too).
pub const OFFERED: [&str; 16] = [
    "Europe/Kaliningrad",
    "Europe/Kyiv",
    "Europe/Minsk",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Almaty",
    "Asia/Tashkent",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
];

impl Zone {
    /// A zone by its IANA name (`Europe/Moscow`); `None` for anything the tz database does
    /// not know.
    pub fn parse(name: &str) -> Option<Zone> {
        name.trim().parse::<chrono_tz::Tz>().ok().map(Zone)
    }

    /// A stored zone name, or the default for one no longer known.
    pub fn or_default(name: &str) -> Zone {
        Zone::parse(name).unwrap_or_default()
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    fn at(self, unix: i64) -> Option<DateTime<chrono_tz::Tz>> {
        DateTime::from_timestamp(unix, 0).map(|t| t.with_timezone(&self.0))
    }

    /// `YYYY-MM-DD` of a unix time in this zone (for file names).
    pub fn date(self, unix: i64) -> String {
        self.at(unix)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }

    /// `dd.mm.yyyy hh:mm` of a unix time in this zone; `—` for a time out of range.
    pub fn format(self, unix: i64) -> String {
        self.at(unix)
            .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
            .unwrap_or_else(|| "—".to_owned())
    }

    /// Seconds this zone is ahead of UTC at `unix`.
    pub fn offset_secs(self, unix: i64) -> i64 {
        self.at(unix)
            .map(|t| i64::from(t.offset().fix().local_minus_utc()))
            .unwrap_or_default()
    }

    /// The offset from UTC at `unix`, as `UTC+3`, `UTC+5:30` or `UTC−1`.
    pub fn offset_label(self, unix: i64) -> String {
        let secs = self
            .at(unix)
            .map(|t| t.offset().fix().local_minus_utc())
            .unwrap_or_default();
        let sign = if secs < 0 { '−' } else { '+' };
        let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
        if m == 0 {
            format!("UTC{sign}{h}")
        } else {
            format!("UTC{sign}{h}:{m:02}")
        }
    }

    /// Minutes since local midnight at `unix`.
    pub fn minute_of_day(self, unix: i64) -> i64 {
        use chrono::Timelike;
        self.at(unix)
            .map(|t| i64::from(t.hour() * 60 + t.minute()))
            .unwrap_or_default()
    }

    /// The local calendar day of a unix time.
    pub fn local_day(self, unix: i64) -> Option<NaiveDate> {
        self.at(unix).map(|t| t.date_naive())
    }

    /// The first moment of a local day (midnight, or the first minute after a gap).
    pub fn day_start(self, day: NaiveDate) -> Option<i64> {
        let midnight = day.and_hms_opt(0, 0, 0)?;
        (0..=180)
            .step_by(30)
            .find_map(|m| {
                let t = midnight + chrono::Duration::minutes(m);
                self.0.from_local_datetime(&t).earliest()
            })
            .map(|t| t.with_timezone(&Utc).timestamp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid")
            .timestamp()
    }

    #[test]
    fn every_offered_zone_is_known() {
        for z in OFFERED {
            assert_eq!(Zone::parse(z).map(Zone::name), Some(z));
        }
        assert_eq!(Zone::parse("Mars/Olympus"), None);
        assert_eq!(Zone::or_default("Mars/Olympus").name(), "Europe/Moscow");
    }

    #[test]
    fn local_times_follow_daylight_saving_and_history() {
        let kyiv = Zone::parse("Europe/Kyiv").expect("zone");
        // Winter: UTC+2; summer: UTC+3.
        assert_eq!(kyiv.format(unix(2026, 1, 15, 9, 0)), "15.01.2026 11:00");
        assert_eq!(kyiv.format(unix(2026, 7, 15, 9, 0)), "15.07.2026 12:00");
        assert_eq!(kyiv.offset_label(unix(2026, 1, 15, 9, 0)), "UTC+2");
        assert_eq!(kyiv.offset_label(unix(2026, 7, 15, 9, 0)), "UTC+3");
        let moscow = Zone::default();
        assert_eq!(moscow.format(unix(2026, 11, 23, 9, 0)), "23.11.2026 12:00");
        // Moscow kept UTC+4 from 2011 to October 2014.
        assert_eq!(moscow.format(unix(2013, 1, 10, 9, 0)), "10.01.2013 13:00");
        assert_eq!(
            Zone::parse("Asia/Kolkata")
                .expect("zone")
                .offset_label(unix(2026, 1, 1, 0, 0)),
            "UTC+5:30"
        );
        assert_eq!(
            Zone::parse("America/Sao_Paulo")
                .expect("zone")
                .offset_label(unix(2026, 1, 1, 0, 0)),
            "UTC−3"
        );
    }

    #[test]
    fn local_days_start_at_local_midnight_even_across_a_clock_change() {
        let kyiv = Zone::parse("Europe/Kyiv").expect("zone");
        // 22:30 UTC on 28 March 2026 is already 29 March in Kyiv (UTC+2).
        assert_eq!(
            kyiv.local_day(unix(2026, 3, 28, 22, 30)),
            NaiveDate::from_ymd_opt(2026, 3, 29)
        );
        // Clocks go forward on 29 March 2026 at 03:00; the day starts at 00:00 UTC+2.
        let day = NaiveDate::from_ymd_opt(2026, 3, 29).expect("date");
        assert_eq!(kyiv.day_start(day), Some(unix(2026, 3, 28, 22, 0)));
        let next = NaiveDate::from_ymd_opt(2026, 3, 30).expect("date");
        assert_eq!(kyiv.day_start(next), Some(unix(2026, 3, 29, 21, 0)));
        // A day without a midnight (Santiago skips 00:00-01:00 on 6 Sep 2026).
        let santiago = Zone::parse("America/Santiago").expect("zone");
        let gap = NaiveDate::from_ymd_opt(2026, 9, 6).expect("date");
        assert_eq!(santiago.day_start(gap), Some(unix(2026, 9, 6, 4, 0)));
    }
}
