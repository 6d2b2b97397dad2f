//! Label PDFs with lopdf: one page per label. Ozon and YM give PDF (a batch file is cut
//! into one file per order), WB gives PNG stickers that become a page of the cabinet's
//! sticker size; the pages are merged in the order of the list into files Telegram takes.

use std::collections::BTreeMap;
use std::io::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

use super::{RenderError, Result};

/// Telegram's limit on a file a bot sends.
pub const TELEGRAM_MAX_BYTES: usize = 50 * 1024 * 1024;
/// What one merged file may weigh, leaving room for the request around it.
pub const FILE_BUDGET: usize = 48 * 1024 * 1024;

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Attributes a page may inherit from its page tree.
const INHERITED: [&[u8]; 4] = [b"MediaBox", b"CropBox", b"Resources", b"Rotate"];

fn pdf_err(e: lopdf::Error) -> RenderError {
    RenderError::Pdf(e.to_string())
}

/// A PNG sticker as a one-page PDF of `width_mm` × `height_mm`, the picture fitted and
/// centred, its pixels kept as they are (grey or RGB, transparency laid on white).
pub fn png_page(png: &[u8], width_mm: f32, height_mm: f32) -> Result<Vec<u8>> {
    let (w, h, gray, pixels) = decode_png(png)?;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&pixels)
        .map_err(|e| RenderError::Png(e.to_string()))?;
    let packed = z.finish().map_err(|e| RenderError::Png(e.to_string()))?;
    let mut doc = Document::with_version("1.5");
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => i64::from(w),
            "Height" => i64::from(h),
            "ColorSpace" => if gray { "DeviceGray" } else { "DeviceRGB" },
            "BitsPerComponent" => 8,
            "Filter" => "FlateDecode",
        },
        packed,
    ));
    let (pw, ph) = (width_mm * PT_PER_MM, height_mm * PT_PER_MM);
    let scale = (pw / w as f32).min(ph / h as f32);
    let (iw, ih) = (w as f32 * scale, h as f32 * scale);
    let (x, y) = ((pw - iw) / 2.0, (ph - ih) / 2.0);
    let content = format!("q {iw:.3} 0 0 {ih:.3} {x:.3} {y:.3} cm /Im0 Do Q");
    let content = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
    let pages = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages,
        "MediaBox" => vec![0.into(), 0.into(), pw.into(), ph.into()],
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
        "Contents" => content,
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page.into()],
            "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    save(&mut doc)
}

/// Width, height, whether grey, and 8-bit pixels of a PNG (alpha laid on white).
pub fn decode_png(png: &[u8]) -> Result<(u32, u32, bool, Vec<u8>)> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| RenderError::Png(e.to_string()))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| RenderError::Png("picture too large".into()))?;
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| RenderError::Png(e.to_string()))?;
    buf.truncate(info.buffer_size());
    let on_white =
        |v: u8, a: u8| ((u16::from(v) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
    let (gray, pixels) = match info.color_type {
        png::ColorType::Grayscale => (true, buf),
        png::ColorType::GrayscaleAlpha => (
            true,
            buf.chunks_exact(2).map(|p| on_white(p[0], p[1])).collect(),
        ),
        png::ColorType::Rgb => (false, buf),
        png::ColorType::Rgba => (
            false,
            buf.chunks_exact(4)
                .flat_map(|p| {
                    [
                        on_white(p[0], p[3]),
                        on_white(p[1], p[3]),
                        on_white(p[2], p[3]),
                    ]
                })
                .collect(),
        ),
        png::ColorType::Indexed => return Err(RenderError::Png("palette not expanded".into())),
    };
    Ok((info.width, info.height, gray, pixels))
}

/// How many pages a PDF has.
pub fn page_count(pdf: &[u8]) -> Result<usize> {
    Ok(Document::load_mem(pdf).map_err(pdf_err)?.get_pages().len())
}

/// Cuts a PDF into one file per page, in page order.
pub fn split(pdf: &[u8]) -> Result<Vec<Vec<u8>>> {
    let doc = Document::load_mem(pdf).map_err(pdf_err)?;
    let n = doc.get_pages().len() as u32;
    if n == 1 {
        return Ok(vec![pdf.to_vec()]);
    }
    (1..=n)
        .map(|keep| {
            let mut one = doc.clone();
            let others: Vec<u32> = (1..=n).filter(|p| *p != keep).collect();
            one.delete_pages(&others);
            one.prune_objects();
            save(&mut one)
        })
        .collect()
}

/// Merges PDFs into one, their pages in the order given.
pub fn merge(pdfs: &[&[u8]]) -> Result<Vec<u8>> {
    let mut out = Document::with_version("1.5");
    let pages_id = out.new_object_id();
    let mut kids: Vec<Object> = Vec::new();
    for bytes in pdfs {
        let mut doc = Document::load_mem(bytes).map_err(pdf_err)?;
        doc.renumber_objects_with(out.max_id + 1);
        out.max_id = out.max_id.max(doc.max_id);
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        // What a page inherits from its tree is written onto the page itself.
        let mut inherited: BTreeMap<ObjectId, Vec<(Vec<u8>, Object)>> = BTreeMap::new();
        for id in &pages {
            inherited.insert(*id, inherited_of(&doc, *id));
        }
        for (id, object) in std::mem::take(&mut doc.objects) {
            let kind = object
                .as_dict()
                .ok()
                .and_then(|d| d.get(b"Type").ok())
                .and_then(|t| t.as_name().ok())
                .map(<[u8]>::to_vec);
            match kind.as_deref() {
                Some(b"Catalog") | Some(b"Pages") => {}
                Some(b"Page") if inherited.contains_key(&id) => {
                    let Object::Dictionary(mut page) = object else {
                        continue;
                    };
                    for (key, value) in inherited.remove(&id).unwrap_or_default() {
                        if !page.has(&key) {
                            page.set(key, value);
                        }
                    }
                    page.set("Parent", pages_id);
                    out.objects.insert(id, Object::Dictionary(page));
                }
                Some(b"Page") => {}
                _ => {
                    out.objects.insert(id, object);
                }
            }
        }
        kids.extend(pages.into_iter().map(Object::Reference));
    }
    if kids.is_empty() {
        return Err(RenderError::Empty);
    }
    let count = kids.len() as i64;
    out.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = out.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    out.trailer.set("Root", catalog);
    save(&mut out)
}

/// Merges one-page PDFs into as few files as keep each under `budget` bytes, pages in
/// the order given.
pub fn merge_within(pages: &[Vec<u8>], budget: usize) -> Result<Vec<Vec<u8>>> {
    let mut groups: Vec<Vec<&[u8]>> = Vec::new();
    let mut size = 0;
    for page in pages {
        if groups.is_empty() || (size + page.len() > budget && size > 0) {
            groups.push(Vec::new());
            size = 0;
        }
        size += page.len();
        if let Some(g) = groups.last_mut() {
            g.push(page);
        }
    }
    let mut files = Vec::new();
    for group in groups {
        merge_group(&group, budget, &mut files)?;
    }
    Ok(files)
}

/// Merges a group; one that still comes out too heavy is halved.
fn merge_group(group: &[&[u8]], budget: usize, files: &mut Vec<Vec<u8>>) -> Result<()> {
    let merged = merge(group)?;
    if merged.len() <= budget || group.len() == 1 {
        files.push(merged);
        return Ok(());
    }
    let (a, b) = group.split_at(group.len() / 2);
    merge_group(a, budget, files)?;
    merge_group(b, budget, files)
}

fn inherited_of(doc: &Document, page: ObjectId) -> Vec<(Vec<u8>, Object)> {
    let mut found = Vec::new();
    let mut at = doc.get_dictionary(page).ok();
    let mut depth = 0;
    while let Some(dict) = at {
        for key in INHERITED {
            if !found.iter().any(|(k, _): &(Vec<u8>, Object)| k == key)
                && let Ok(v) = dict.get(key)
            {
                found.push((key.to_vec(), v.clone()));
            }
        }
        depth += 1;
        at = dict
            .get(b"Parent")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .and_then(|p| doc.get_dictionary(p).ok())
            .filter(|_| depth < 32);
    }
    found
}

fn save(doc: &mut Document) -> Result<Vec<u8>> {
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| RenderError::Pdf(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gray_png(w: u32, h: u32, seed: u8) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(png::ColorType::Grayscale);
            let mut wr = enc.write_header().expect("header");
            let data: Vec<u8> = (0..w * h).map(|i| (i as u8).wrapping_mul(seed)).collect();
            wr.write_image_data(&data).expect("data");
        }
        out
    }

    #[test]
    fn stickers_become_pages_of_their_size_and_merge_in_order() {
        let a = png_page(&gray_png(58, 40, 3), 58.0, 40.0).expect("a");
        let b = png_page(&gray_png(40, 30, 7), 40.0, 30.0).expect("b");
        let merged = merge(&[&a, &b, &a]).expect("merge");
        let doc = Document::load_mem(&merged).expect("load");
        let pages = doc.get_pages();
        assert_eq!(pages.len(), 3);
        let boxes: Vec<f32> = pages
            .values()
            .map(|p| {
                let d = doc.get_dictionary(*p).expect("page");
                d.get(b"MediaBox").expect("box").as_array().expect("array")[2]
                    .as_float()
                    .expect("width")
            })
            .collect();
        assert!((boxes[0] - 58.0 * PT_PER_MM).abs() < 0.01, "{boxes:?}");
        assert!((boxes[1] - 40.0 * PT_PER_MM).abs() < 0.01, "{boxes:?}");
        let parts = split(&merged).expect("split");
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| page_count(p).ok() == Some(1)));
    }

    #[test]
    fn a_budget_splits_the_merge_and_keeps_the_order() {
        let pages: Vec<Vec<u8>> = (1..=6)
            .map(|i| png_page(&gray_png(200, 200, i), 58.0, 40.0).expect("page"))
            .collect();
        let one = pages[0].len();
        let files = merge_within(&pages, one * 2 + one / 2).expect("merge");
        assert!(files.len() >= 3, "{} files", files.len());
        let total: usize = files.iter().map(|f| page_count(f).unwrap_or(0)).sum();
        assert_eq!(total, 6);
    }
}
