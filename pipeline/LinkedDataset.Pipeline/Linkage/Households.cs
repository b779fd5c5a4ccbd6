using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage;

/// <summary>
/// Households from the pseudonymised UPRN (<c>household_token</c>) of each person's latest pmi
/// registration. Adds to <c>person</c>: <c>household_id</c> (a surrogate: the lowest person id registered at that UPRN, so it survives key
/// rotation and refreshes while that person lives there; the token never reaches the snapshot),
/// <c>household_size</c>, <c>lives_alone</c>, <c>lives_with_65_plus</c> and <c>care_home</c>, at
/// <c>household_as_of</c> (the last day of the latest pmi extract month), counting the people
/// registered and alive then. A care home is a UPRN where at least <see cref="CareHomeMinimumResidents"/>
/// people aged 65+ live, most of them unrelated (more distinct family names than half the residents).
/// </summary>
public static class Households
{
    public const int CareHomeMinimumResidents = 5;

    public static void Build(DuckDBConnection db, FeedSchema pmi)
    {
        var start = Sql.Identifier(pmi.ActivityDate);
        var familyColumn = DuckDb.Scalar<long>(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'staged_pmi' AND column_name = 'mt_family_name'") > 0
            ? "s.mt_family_name" : "NULL::VARCHAR";
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE hh_person AS
            SELECT l.person_id, s.household_token, {familyColumn} AS family
            FROM staged_pmi s JOIN link l USING (person_token)
            WHERE s.household_token IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY l.person_id ORDER BY s.{start} DESC, s.extract_period DESC, s.source_row DESC) = 1;

            CREATE OR REPLACE TABLE household_link AS
            SELECT household_token, min(person_id) AS household_id FROM hh_person GROUP BY household_token;

            CREATE OR REPLACE TABLE hh_member AS
            WITH ref_date AS (SELECT CAST(last_day(CAST(max(extract_period) || '-01' AS DATE)) AS DATE) AS d FROM staged_pmi)
            SELECT h.person_id, k.household_id, h.family, ref_date.d AS as_of,
                   (p.registered_until IS NULL OR p.registered_until >= ref_date.d) AND (p.date_of_death IS NULL OR p.date_of_death > ref_date.d) AS current,
                   date_sub('year', CAST(p.birth_month || '-01' AS DATE), ref_date.d) AS age
            FROM hh_person h JOIN household_link k USING (household_token) JOIN person p USING (person_id), ref_date;

            CREATE OR REPLACE TABLE hh_household AS
            SELECT household_id, count(*) AS size, count(*) FILTER (age >= 65) AS older, count(DISTINCT family) AS families
            FROM hh_member WHERE current GROUP BY household_id;

            ALTER TABLE person ADD COLUMN household_id BIGINT;
            ALTER TABLE person ADD COLUMN household_as_of DATE;
            ALTER TABLE person ADD COLUMN household_size INTEGER;
            ALTER TABLE person ADD COLUMN lives_alone BOOLEAN;
            ALTER TABLE person ADD COLUMN lives_with_65_plus BOOLEAN;
            ALTER TABLE person ADD COLUMN care_home BOOLEAN;

            UPDATE person SET household_id = x.household_id, household_as_of = x.as_of,
                   household_size = x.size, lives_alone = x.size = 1,
                   lives_with_65_plus = CASE WHEN x.size IS NOT NULL THEN x.older - (CASE WHEN x.age >= 65 THEN 1 ELSE 0 END) > 0 END,
                   care_home = CASE WHEN x.size IS NOT NULL THEN x.older >= {CareHomeMinimumResidents} AND x.families * 2 > x.size END
            FROM (SELECT m.person_id, m.household_id, m.as_of, m.age,
                         CASE WHEN m.current THEN h.size END AS size, h.older, h.families
                  FROM hh_member m LEFT JOIN hh_household h USING (household_id)) x
            WHERE person.person_id = x.person_id;
            """);
    }
}
