namespace LinkedDataset.Pipeline.Identity;

/// <summary>
/// Privacy-preserving match tokens for probabilistic linkage: each a keyed hash (32 lowercase hex
/// characters) of one normalised identity part, with its own domain prefix so that equal strings
/// in different fields give different tokens, plus a keyed bigram set per name for fuzzy
/// comparison (<see cref="NameBloomFilter"/>). A part is null when its input is missing or unusable.
/// </summary>
/// <param name="GivenName">Normalised given name (<see cref="IdentityNormaliser.Name"/>), domain <c>given:</c>.</param>
/// <param name="FamilyName">Normalised family name, domain <c>family:</c>.</param>
/// <param name="FamilyNamePhonetic">Soundex of the family name (<see cref="IdentityNormaliser.Soundex"/>), domain <c>soundex:</c>.</param>
/// <param name="FirstInitial">First letter of the normalised given name, domain <c>initial:</c>.</param>
/// <param name="DateOfBirth">Date of birth as <c>yyyy-MM-dd</c>, domain <c>dob:</c>.</param>
/// <param name="YearOfBirth">
/// Year of birth as <c>yyyy</c>, domain <c>yob:</c>. Also kept when the date is impossible but
/// well-shaped (<c>1956-02-31</c>): the year is still evidence though the date is not.
/// </param>
/// <param name="DateOfBirthSwapped">
/// Date of birth with day and month swapped, in the same <c>dob:</c> domain, so it equals the
/// <see cref="DateOfBirth"/> token of a record whose day and month were transposed. Null when the
/// day equals the month or the day is over 12 (the swap is not a different valid date).
/// </param>
/// <param name="Postcode">Normalised full postcode (<see cref="IdentityNormaliser.Postcode"/>), domain <c>postcode:</c>.</param>
/// <param name="PostcodeSector">Postcode sector (<see cref="IdentityNormaliser.PostcodeSector"/>), domain <c>sector:</c>.</param>
/// <param name="GivenNamePhonetic">Soundex of the given name, domain <c>gsoundex:</c> (blocking on a misspelt given name).</param>
/// <param name="GivenNameBloom">Keyed bigram set of the given name as a bit vector (208 hex characters, <see cref="NameBloomFilter"/>).</param>
/// <param name="FamilyNameBloom">The same for the family name, with the same keyed permutation, so a given name can be compared with a family name (swapped names).</param>
/// <param name="DayMonthOfBirth">
/// Day and month of birth as <c>MM-dd</c>, domain <c>daymonth:</c>: equal for two records whose year of
/// birth differs but whose day and month agree (a mistyped year, the commonest date error after a
/// transposition). Null when the date is missing or impossible.
/// </param>
public sealed record MatchTokens(
    string? GivenName,
    string? FamilyName,
    string? FamilyNamePhonetic,
    string? FirstInitial,
    string? DateOfBirth,
    string? YearOfBirth,
    string? DateOfBirthSwapped,
    string? Postcode,
    string? PostcodeSector,
    string? GivenNamePhonetic = null,
    string? GivenNameBloom = null,
    string? FamilyNameBloom = null,
    string? DayMonthOfBirth = null);
