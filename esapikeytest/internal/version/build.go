package version

// Build is what GET / reports of a release beside its number (MainResponse, Build).
type Build struct {
	Lucene                    string // lucene_version
	MinimumWireCompatibility  string // minimum_wire_compatibility_version
	MinimumIndexCompatibility string // minimum_index_compatibility_version
}

// luceneSince gives the Lucene release of each Elasticsearch release: an entry holds from its release
// up to the next entry. 8.4.0 to 8.17.2 are read from IndexVersions.csv (release to index version)
// and IndexVersions (index version to Lucene version); the later ones from the GET / answers of those
// releases as published. Unconfirmed, and chosen as the neighbouring releases report: 8.17.3 and later
// (9.12.0), 8.19.0 and 8.19.1 (9.12.2), 9.1.0 and 9.1.1 (10.2.2).
var luceneSince = []struct {
	since  Version
	lucene string
}{
	{rel(8, 4, 0), "9.3.0"},
	{rel(8, 5, 0), "9.4.1"},
	{rel(8, 5, 3), "9.4.2"},
	{rel(8, 7, 0), "9.5.0"},
	{rel(8, 8, 0), "9.6.0"},
	{rel(8, 9, 0), "9.7.0"},
	{rel(8, 11, 0), "9.8.0"},
	{rel(8, 12, 0), "9.9.1"},
	{rel(8, 12, 1), "9.9.2"},
	{rel(8, 13, 0), "9.10.0"},
	{rel(8, 15, 0), "9.11.1"},
	{rel(8, 16, 0), "9.12.0"},
	{rel(8, 18, 0), "9.12.1"},
	{rel(8, 19, 0), "9.12.2"},
	{rel(9, 0, 0), "10.1.0"},
	{rel(9, 1, 0), "10.2.2"},
	{rel(9, 2, 0), "10.3.1"},
	{rel(9, 2, 2), "10.3.2"},
}

// BuildOf returns what GET / reports of release v. Every 8.x release is wire compatible with 7.17
// and reads indices from 7.0; 9.0 is wire compatible with 8.18, later 9.x with 8.19, and 9.x reads
// indices from 8.0 (as the published answers of those releases show).
func BuildOf(v Version) Build {
	b := Build{MinimumWireCompatibility: "7.17.0", MinimumIndexCompatibility: "7.0.0"}
	if v.Major >= 9 {
		b.MinimumWireCompatibility, b.MinimumIndexCompatibility = "8.19.0", "8.0.0"
		if v.Minor == 0 {
			b.MinimumWireCompatibility = "8.18.0"
		}
	}
	for _, e := range luceneSince {
		if v.AtLeast(e.since) {
			b.Lucene = e.lucene
		}
	}
	return b
}
