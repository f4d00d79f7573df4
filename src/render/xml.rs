//! A small writer over quick-xml for the XML the site generates (feeds,
//! sitemap, SVG charts): every name and text is escaped by quick-xml.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// Writing into a `Vec` cannot fail; quick-xml still returns `io::Result`.
const VEC_WRITE: &str = "writing into a Vec cannot fail";

/// Elements written into memory.
pub(crate) struct XmlWriter {
    w: Writer<Vec<u8>>,
}

#[allow(clippy::expect_used, reason = "writing XML into a Vec cannot fail")]
impl XmlWriter {
    /// A fragment (no declaration), written compactly: SVG inside a page.
    pub(crate) fn fragment() -> XmlWriter {
        XmlWriter { w: Writer::new(Vec::new()) }
    }

    /// A document with an XML declaration, indented: feeds and sitemaps.
    pub(crate) fn document() -> XmlWriter {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None))).expect(VEC_WRITE);
        XmlWriter { w }
    }

    fn start<'b>(name: &'b str, attrs: &[(&str, &str)]) -> BytesStart<'b> {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute((*k, *v));
        }
        start
    }

    /// `<name attrs>`.
    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.w.write_event(Event::Start(Self::start(name, attrs))).expect(VEC_WRITE);
    }

    /// `</name>`.
    pub(crate) fn close(&mut self, name: &str) {
        self.w.write_event(Event::End(BytesEnd::new(name))).expect(VEC_WRITE);
    }

    /// `<name attrs/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.w.write_event(Event::Empty(Self::start(name, attrs))).expect(VEC_WRITE);
    }

    /// `<name attrs>text</name>`.
    pub(crate) fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.w.write_event(Event::Text(BytesText::new(text))).expect(VEC_WRITE);
        self.close(name);
    }

    /// The bytes written so far.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.w.into_inner()
    }
}
