package version

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// justBefore is a release just older than v: the previous patch, or a late patch of the previous
// minor line, so that "any patch" is exercised.
func justBefore(v Version) Version {
	if v.Patch > 0 {
		return Version{v.Major, v.Minor, v.Patch - 1}
	}
	p := v.previousMinor()
	p.Patch = 99
	return p
}

// probes are releases at which every feature is looked at: each minor line's first and a late patch,
// and every boundary of the table with the release just before it.
func probes() []Version {
	var out []Version
	for _, m := range minors {
		out = append(out, m, Version{m.Major, m.Minor, 99})
	}
	for _, r := range table {
		for _, b := range []Version{r.Since, r.Until} {
			if !b.IsZero() {
				out = append(out, b)
				if p := justBefore(b); p.Supported() {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// The table is well formed: every feature has a name and rows; a feature's rows are oldest first,
// disjoint, within the supported releases, explained, and say what a release without it answers.
func TestTableIsWellFormed(t *testing.T) {
	for f := Feature(1); f < numFeatures; f++ {
		rows := Rows(f)
		require.NotEmpty(t, rows, "feature %d has no row", f)
		assert.Equal(t, featureNames[f], f.String())
		kind := rows[0].Kind
		for i, r := range rows {
			assert.Equal(t, kind, r.Kind, "%s: one kind per feature", f)
			assert.True(t, r.Kind >= Route && r.Kind <= Wording, "%s: kind", f)
			assert.NotEmpty(t, r.What, "%s: What", f)
			assert.NotEmpty(t, r.Evidence, "%s: Evidence", f)
			if r.Since.IsZero() {
				assert.True(t, r.Until.IsZero() && len(rows) == 1, "%s: a row of no release is the feature's only row", f)
				continue
			}
			assert.True(t, r.Since.Supported(), "%s: since %s", f, r.Since)
			if !r.Until.IsZero() {
				assert.True(t, r.Until.Supported(), "%s: until %s", f, r.Until)
				assert.True(t, r.Since.Before(r.Until), "%s: %s until %s", f, r.Since, r.Until)
			}
			if i > 0 {
				prev := rows[i-1]
				assert.False(t, prev.Until.IsZero(), "%s: only the last row may hold up to the newest release", f)
				assert.True(t, prev.Until.Compare(r.Since) <= 0, "%s: rows overlap", f)
			}
			if kind == Wording {
				assert.NotEmpty(t, r.Text, "%s: a message row has its text", f)
			}
		}
		missing, gap := false, false
		for _, v := range probes() {
			missing = missing || !v.Has(f)
			gap = gap || (!v.Has(f) && v.AtLeast(rows[0].Since))
		}
		if kind == Wording {
			assert.False(t, gap, "%s: every release from the first row on has a text", f)
		}
		assert.Equal(t, missing, Otherwise(f) != "", "%s: says what a release without it answers exactly when some release lacks it", f)
	}
}

// Each row holds from its first release, not at the release just before it, and no longer at its Until.
func TestRowsHoldBetweenTheirBounds(t *testing.T) {
	for _, r := range table {
		if r.Since.IsZero() {
			for _, v := range probes() {
				assert.False(t, v.Has(r.Feature), "%s at %s", r.Feature, v)
			}
			continue
		}
		assert.True(t, r.Holds(r.Since), "%s at %s", r.Feature, r.Since)
		assert.Equal(t, r.Text, r.Since.Text(r.Feature), "%s at %s", r.Feature, r.Since)
		if b := justBefore(r.Since); !b.IsZero() {
			assert.False(t, r.Holds(b), "%s at %s", r.Feature, b)
		}
		if !r.Until.IsZero() {
			assert.False(t, r.Holds(r.Until), "%s at %s", r.Feature, r.Until)
			assert.True(t, r.Holds(justBefore(r.Until)), "%s at %s", r.Feature, justBefore(r.Until))
		}
	}
}

// The differences the server must show, each seen from the last release without it and the first
// with it.
func TestTableRecordsEachDifference(t *testing.T) {
	for _, c := range []struct {
		f              Feature
		without, with_ string
	}{
		{UpdateExpiration, "8.12.2", "8.13.0"},
		{CertificateIdentity, "9.2.4", "9.3.0"},
		{GetWithProfileUID, "8.13.4", "8.14.0"},
		{QueryWithProfileUID, "8.13.4", "8.14.0"},
		{QueryTypedKeys, "8.13.1", "8.13.2"},
		{QueryAggregationsAlias, "8.13.1", "8.13.2"},
		{GetActiveOnly, "8.9.2", "8.10.0"},
		{GetWithLimitedBy, "8.4.3", "8.5.0"},
		{QueryWithLimitedBy, "8.4.3", "8.5.0"},
		{RoleRemoteCluster, "8.14.3", "8.15.0"},
		{GlobalRoleManage, "8.15.5", "8.16.0"},
		{RoleRestriction, "8.8.2", "8.9.0"},
		{RoleRemoteIndices, "8.9.2", "8.10.0"},
		{RemoteClusterMonitorStats, "8.16.6", "8.17.0"},
		{QueryAggs, "8.12.2", "8.13.0"},
		{QueryMatch, "8.12.2", "8.13.0"},
		{QuerySimpleQueryString, "8.12.2", "8.13.0"},
		{QueryTypeField, "8.12.2", "8.13.0"},
		{QueryInvalidationField, "8.11.4", "8.12.0"},
		{RouteBulkUpdate, "8.4.3", "8.5.0"},
		{RouteCrossCluster, "8.9.2", "8.10.0"},
		{CCSearchSecurityWithReplicationRefused, "8.13.4", "8.14.0"},
		{CCSearchMonitorEnrich, "8.14.3", "8.15.0"},
		{CreateRefusesNonPositiveExpiration, "8.12.2", "8.13.0"},
		{InvalidateCCKeyNeedsManageSecurity, "8.13.4", "8.14.0"},
		{AnswerRoleDescriptors, "8.4.3", "8.5.0"},
		{AnswerType, "8.9.2", "8.10.0"},
		{AnswerInvalidation, "8.11.4", "8.12.0"},
		{AnswerRealmType, "8.13.4", "8.14.0"},
		{AnswerCertificateIdentity, "9.2.4", "9.3.0"},
		{FailureStorePrivileges, "8.18.8", "8.19.0"},
		{FailureStorePrivileges, "9.0.8", "9.1.0"},
	} {
		assert.False(t, MustCheck(c.without).Has(c.f), "%s at %s", c.f, c.without)
		assert.True(t, MustCheck(c.with_).Has(c.f), "%s at %s", c.f, c.with_)
	}
	assert.False(t, MustCheck("9.0.0").Has(FailureStorePrivileges), "9.0 lacks what 8.19 has")
	assert.True(t, MustCheck("8.19.3").Has(InvalidateSingularID))
	assert.False(t, MustCheck("9.0.0").Has(InvalidateSingularID))
	for _, v := range probes() {
		assert.False(t, v.Has(APIKeyRoleDescription), "no release accepts description in an API key's role descriptors")
	}
}

func TestTextFollowsTheRelease(t *testing.T) {
	for _, c := range []struct {
		f    Feature
		v    string
		want string
	}{
		{MsgCCNothingToUpdate, "8.10.0", "must update either [access] or [metadata] for cross-cluster API keys"},
		{MsgCCNothingToUpdate, "9.2.9", "must update either [access] or [metadata] for cross-cluster API keys"},
		{MsgCCNothingToUpdate, "9.3.0", "must update  [access] or [metadata] or [certificate_identity] for cross-cluster API keys"},
		{MsgCCNothingToUpdate, "8.9.2", ""},
		{MsgFieldNotAllowed, "8.12.2", "Field [%s] is not allowed for API Key query"},
		{MsgFieldNotAllowed, "8.13.0", "Field [%s] is not allowed for API Key query or aggregation"},
		{MsgFieldNotAllowed, "9.3.0", "Field [%s] is not allowed for querying or aggregation"},
		{MsgCompatibleWith, "8.19.0", "Accept version must be either version 8 or 7, but found <n>"},
		{MsgCompatibleWith, "9.0.0", "Accept version must be either version 9 or 8, but found <n>"},
		{CreateRefusesNonPositiveExpiration, "9.3.0", "API key expiration must be in the future"},
		{CreateRefusesNonPositiveExpiration, "8.12.0", ""},
	} {
		assert.Equal(t, c.want, MustCheck(c.v).Text(c.f), "%s at %s", c.f, c.v)
	}
}

func TestRowsIsACopy(t *testing.T) {
	rows := Rows(UpdateExpiration)
	rows[0].Since = Version{}
	assert.True(t, MustCheck("8.13.0").Has(UpdateExpiration))
	assert.Equal(t, "Feature(?)", numFeatures.String())
	assert.Equal(t, "Feature(?)", Feature(0).String())
}
