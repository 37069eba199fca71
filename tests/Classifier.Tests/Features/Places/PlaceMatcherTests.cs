using Classifier.Core.Features.Places;

namespace Classifier.Tests.Features.Places;

/// <summary>The gazetteer matcher on hand-made sentences: each rule of <see cref="PlaceMatcher"/>, one at a time.</summary>
public sealed class PlaceMatcherTests
{
    private static List<PlaceMention> Match(string text) => new PlaceMatcher(Gazetteer.Default).Match(text);

    private static List<(string Text, string Country)> Found(string text) => Match(text).Select(m => (m.Text, m.Country.Code)).ToList();

    [Fact]
    public void MultiWordNames_TheLongestWins()
    {
        Assert.Equal([("New York", "US")], Found("Shares fell in New York on Monday."));
        Assert.Equal([("Buenos Aires", "AR"), ("South Africa", "ZA")], Found("Talks in Buenos Aires with South Africa ended."));
        Assert.Equal([("United States of America", "US")], Found("The United States of America said so."));
    }

    [Fact]
    public void CountriesDemonymsCapitalsAndSubdivisions()
    {
        var m = Match("Malian troops moved towards Bamako. Farmers in Punjab protested; Kenya said Texas would help.");
        Assert.Equal([("Malian", PlaceKind.Demonym, "ML"), ("Bamako", PlaceKind.Capital, "ML"), ("Punjab", PlaceKind.Subdivision, "IN"),
            ("Kenya", PlaceKind.Country, "KE"), ("Texas", PlaceKind.Subdivision, "US")], m.Select(x => (x.Text, x.Kind, x.Country.Code)).ToList());
        Assert.Equal("Western Africa", m[0].Country.Subregion);
        Assert.Equal("Africa", m[0].Country.Region);
        Assert.Equal("africa", m[0].Country.Area);
    }

    [Fact]
    public void DottedAbbreviations_CountOnlyInCapitals()
    {
        Assert.Equal([("U.S.", "US"), ("UK", "GB")], Found("The U.S. and the UK agreed."));
        Assert.Empty(Found("Let us agree, said the minister."));
        Assert.Equal([("U.S.S.R.", "RU")], Found("Trade with the U.S.S.R. grew."));
    }

    [Fact]
    public void NamesThatAreCommonWords_NeedACapitalAndNoSentenceStart()
    {
        Assert.Empty(Found("The weather was nice and the phone was mobile."));
        Assert.Empty(Found("Nice weather helped. Reading the report took time."));
        Assert.Equal([("Nice", "FR")], Found("The festival opened in Nice on Friday."));
        Assert.Equal([("Mobile", "US"), ("Alabama", "US")], Found("Mobile phones sold well in Mobile, Alabama."));
    }

    [Fact]
    public void ALineBreak_StartsASentence()
    {
        // Title and body are joined by a line break, and titles seldom end with a full stop.
        Assert.Empty(Found("Markets rally\nMobile operators gained ground."));
        Assert.Equal([("Nice", "FR")], Found("Markets rally\nNice weather helped tourism in Nice."));
        Assert.Empty(Found("Markets rally\nShares rose.\n\nMobile operators gained."));
        // Wire copy wraps mid-sentence: a line break alone is no sentence start there.
        Assert.Equal([("France", "FR"), ("Nice", "FR")], Found("Markets rally\nTourism grew in the south of France and in\nNice, officials said."));
    }

    [Fact]
    public void NamesThatArePeoplesNames_MustStandAlone()
    {
        Assert.Equal([("Jordan", "JO")], Found("Michael Jordan visited Jordan last week."));
        Assert.Empty(Found("The bank Morgan Stanley said profits rose."));
        Assert.Equal([("Chad", "TD")], Found("Troops from Chad crossed the border."));
        Assert.Equal([("Georgia", "GE")], Found("Elections in Georgia were held."));
    }

    [Fact]
    public void AcronymsInTextWithCase_AreNotCities()
    {
        Assert.Empty(Found("The ICO council met and the BAA said nothing."));
    }

    [Fact]
    public void TextWithoutCase_SkipsCommonWordNames_ButKeepsCountries()
    {
        Assert.Equal([("JAPAN", "JP")], Found("JAPAN SEES NICE GAINS IN MOBILE TRADE"));
        Assert.Equal([("kenya", "KE")], Found("prices in kenya rose as nice weather returned"));
    }

    [Fact]
    public void SmallCapitals_AreMatchedAsTownsOfTheirSize()
    {
        // Stanley, the capital of the Falklands, has 2,460 people and a name that is mostly half of Morgan Stanley.
        Assert.Empty(Found("Stanley said profits rose. Shares of Stanley Works fell."));
        Assert.Equal([("Tokyo", "JP")], Found("The Tokyo Stock Exchange closed higher."));
    }

    [Fact]
    public void HeadlinesWithoutCase_SkipShortWordsAndSmallTowns()
    {
        // JOS (Jos, Nigeria) and FAAA (Faaa, French Polynesia, 30,000 people) are tickers here.
        Assert.Empty(Found("JOSTEN'S <JOS> TO SELL UNIT"));
        Assert.Empty(Found("FINE ART ACQUISITIONS LTD <FAAA> 4TH QTR NET"));
        Assert.Equal([("PHILADELPHIA", "US")], Found("PHILADELPHIA EXCHANGE TO EXTEND HOURS"));
    }

    [Fact]
    public void APlaceWrittenAfterACity_SaysWhichCityItIs()
    {
        // London, England is 20 times larger than London, Ontario: only the qualifier overrides that.
        Assert.Equal([("London", "CA"), ("Ontario", "CA")], Found("The plant in London, Ontario will close."));
        Assert.Equal([("London", "GB")], Found("The plant in London will close."));
    }

    [Fact]
    public void APlaceOnlyOneCountryHas_SettlesSharedNamesElsewhereInTheText()
    {
        // Córdoba: Argentina's is 1.4 million people, Spain's 320,000; Andalusia is only in Spain.
        Assert.Equal([("Andalusia", "ES"), ("Cordoba", "ES")], Found("Farmers across Andalusia met in Cordoba."));
    }

    [Fact]
    public void CountryNamesWinOverCityNames()
    {
        // Mexico is also a city in the Philippines; Georgia is also a US state.
        Assert.Equal([("Mexico", "MX")], Found("Exports from Mexico rose."));
        Assert.Equal([("Georgia", "GE")], Found("Tbilisi is the capital of Georgia.").Skip(1).ToList());
    }

    [Fact]
    public void SharedCityNames_FollowTheCountriesNamed_ThenPopulation()
    {
        // Córdoba is in Argentina (1.4 million) and in Spain (about 320,000): not 20 times larger, so context decides.
        Assert.Equal([("Spain", "ES"), ("Cordoba", "ES")], Found("Olive growers in Spain met in Cordoba."));
        Assert.Equal([("Cordoba", "AR")], Found("Growers met in Cordoba."));
        // Paris, France is far larger than any other Paris: it stays French even beside the United States.
        Assert.Equal([("United States", "US"), ("Paris", "FR")], Found("The United States sent envoys to Paris."));
    }

    [Fact]
    public void TheTitleCountsMoreThanTheOpening_WhichCountsMoreThanTheBody()
    {
        var body = "Officials from Kenya spoke. " + new string('x', 10) + " " + string.Concat(Enumerable.Repeat("word ", 80)) + "Later Peru replied.";
        var m = Match("Talks in Ghana\n" + body);
        Assert.Equal([("Ghana", PlaceMatcher.TitleWeight), ("Kenya", PlaceMatcher.OpeningWeight), ("Peru", PlaceMatcher.BodyWeight)],
            m.Select(x => (x.Text, x.Weight)).ToList());
        Assert.True(PlaceMatcher.TitleWeight > PlaceMatcher.OpeningWeight && PlaceMatcher.OpeningWeight > PlaceMatcher.BodyWeight);
    }

    [Fact]
    public void EveryCountryHasItsM49AreasAndOneOfTheSevenRegions()
    {
        var g = Gazetteer.Default;
        Assert.True(g.Countries.Count > 240, $"{g.Countries.Count} countries");
        Assert.Equal(["africa", "asia-pacific", "europe", "latin-america", "middle-east", "north-america", "russia-central-asia"], g.Areas);
        foreach (var c in g.Countries)
        {
            Assert.False(string.IsNullOrEmpty(c.Subregion), c.Code);
            Assert.False(string.IsNullOrEmpty(c.Region), c.Code);
        }
        var area = g.Countries.ToDictionary(c => c.Code, c => c.Area);
        // The awkward cases that data/gazetteer/README.md decides.
        Assert.Equal("middle-east", area["EG"]);
        Assert.Equal("middle-east", area["TR"]);
        Assert.Equal("middle-east", area["IR"]);
        Assert.Equal("africa", area["LY"]);
        Assert.Equal("russia-central-asia", area["GE"]);
        Assert.Equal("asia-pacific", area["PK"]);
        Assert.Equal("europe", area["CY"]);
        Assert.Equal("latin-america", area["MX"]);
        Assert.Equal("north-america", area["GL"]);
    }
}
