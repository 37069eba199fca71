using Classifier.Core.Features.Places;

namespace Classifier.Tests.Features.Places;

/// <summary>Clues (data/gazetteer/clues.tsv): names that are no places but belong to a country, under the matcher's rules for case and ambiguity.</summary>
public sealed class ClueMatcherTests
{
    private static List<(string Text, PlaceKind Kind, string Country)> Found(string text) =>
        new PlaceMatcher(Gazetteer.Default).Match(text).Select(m => (m.Text, m.Kind, m.Country.Code)).ToList();

    [Fact]
    public void EachKindOfClue_IsTiedToItsCountry()
    {
        Assert.Equal([("dlrs", PlaceKind.Currency, "US"), ("yen", PlaceKind.Currency, "JP"), ("Bundesbank", PlaceKind.Authority, "DE"),
                ("Nikkei", PlaceKind.Exchange, "JP"), ("Kremlin", PlaceKind.Government, "RU")],
            Found("Profit was 5 mln dlrs against 700 mln yen. The Bundesbank held rates as the Nikkei fell and the Kremlin watched."));
    }

    [Fact]
    public void LowerCaseNames_MatchInAnyCase_CapitalisedOnes_NeedACapital()
    {
        Assert.Equal([("DLRS", PlaceKind.Currency, "US")], Found("NET PROFIT 5 MLN DLRS"));
        Assert.Equal([("Dlrs", PlaceKind.Currency, "US")], Found("Revenue rose. Dlrs were scarce."));
        // "wall street" in lower case is no clue in text with case, as "paris" is no place there.
        Assert.Empty(Found("The old wall street sign was repainted by the council."));
        Assert.Equal([("Wall Street", PlaceKind.Exchange, "US")], Found("Shares rose on Wall Street on Monday."));
        // A unit capitalised inside a sentence is part of a name, not money.
        Assert.Equal([("New Jersey", PlaceKind.Subdivision, "US")], Found("The deal leaves Sterling Drug Inc of New Jersey stronger."));
    }

    [Fact]
    public void EverydayWords_CountAsCurrenciesOnlyAfterAnAmount()
    {
        Assert.Empty(Found("The teacher gave good marks and the team won easily."));
        Assert.Equal([("marks", PlaceKind.Currency, "DE"), ("won", PlaceKind.Currency, "KR")],
            Found("It cost 1.80 marks, and the deal was worth 5 billion won."));
        Assert.Equal([("marks", PlaceKind.Currency, "DE")], Found("Sales were 300 mln marks last year."));
        // "per cent" is a share, not money.
        Assert.Empty(Found("Prices rose 5 per cent this year."));
        Assert.Equal([("cents", PlaceKind.Currency, "US")], Found("Shares fell 25 cents to close lower."));
    }

    [Fact]
    public void CommonWordsAndAbbreviations_FollowThePlaceRules()
    {
        // Diet is Japan's parliament only capitalised and not at a sentence start; SEC only in capitals.
        Assert.Empty(Found("A healthy diet matters. Diet and exercise help."));
        Assert.Equal([("Diet", PlaceKind.Government, "JP")], Found("The bill passed the Diet on Friday."));
        Assert.Empty(Found("Wait a sec, he said."));
        Assert.Equal([("SEC", PlaceKind.Authority, "US")], Found("The SEC opened an inquiry."));
        // A clue stands beside capitalised words as a matter of course, unlike a place that is also a person's name.
        Assert.Equal([("Bundesbank", PlaceKind.Authority, "DE")], Found("Bundesbank President Karl Otto Poehl spoke."));
    }

    [Fact]
    public void AnAmbiguousClue_GoesToACountryTheDocumentNames_ElseToItsDefault()
    {
        Assert.Equal([("dollars", PlaceKind.Currency, "US")], Found("The firm earned 40 mln dollars."));
        Assert.Equal([("Canada", PlaceKind.Country, "CA"), ("dollars", PlaceKind.Currency, "CA")],
            Found("Canada said the firm earned 40 mln dollars."));
        Assert.Equal([("Senate", PlaceKind.Government, "US")], Found("The Senate voted on the budget."));
        Assert.Equal([("Italy", PlaceKind.Country, "IT"), ("Senate", PlaceKind.Government, "IT")], Found("In Italy the Senate voted on the budget."));
    }

    [Fact]
    public void ACountrysNameThatIsAlsoAUsState_IsTheStateWhenTheDocumentNamesTheUnitedStatesAndNothingElseOfTheCountry()
    {
        Assert.Equal([("Georgia", PlaceKind.Country, "GE")], Found("Georgia held elections on Sunday."));
        Assert.Equal([("Georgia", PlaceKind.Subdivision, "US"), ("Atlanta", PlaceKind.City, "US")], Found("Georgia-Pacific Corp of Atlanta raised its dividend."));
        Assert.Equal([("Georgia", PlaceKind.Subdivision, "US"), ("SEC", PlaceKind.Authority, "US")], Found("The utility in Georgia filed with the SEC on Monday."));
        // The country's own places keep it the country.
        Assert.Equal([("SEC", PlaceKind.Authority, "US"), ("Georgia", PlaceKind.Country, "GE"), ("Tbilisi", PlaceKind.Capital, "GE")],
            Found("The SEC said Georgia would list bonds in Tbilisi."));
    }

    [Fact]
    public void APlaceAndAClueOfOneSpelling_StayApart()
    {
        // Pula is a Croatian city and Botswana's currency; Dax a French town and Germany's index; Sama a Chinese city alias.
        Assert.Equal([("Pula", PlaceKind.City, "HR")], Found("The festival in Pula drew crowds."));
        Assert.Equal([("pula", PlaceKind.Currency, "BW")], Found("The loan was worth 300 mln pula."));
        Assert.Equal([("Dax", PlaceKind.City, "FR")], Found("Rugby fans in Dax celebrated."));
        Assert.Equal([("DAX", PlaceKind.Exchange, "DE")], Found("The DAX fell two percent."));
        // A year is no amount: 1987 marks no German money.
        Assert.Empty(Found("The year 1987 marks the end of an era."));
    }

    [Fact]
    public void OnlyGeorgia_YieldsToAStateOfACountryTheTextNames()
    {
        // Made general, the rule sent Taiwan to China and Luxembourg to Belgium.
        Assert.Equal([("China", PlaceKind.Country, "CN"), ("Taiwan", PlaceKind.Country, "TW")], Found("China said Taiwan must talk."));
        Assert.Equal([("Brussels", PlaceKind.Capital, "BE"), ("Luxembourg", PlaceKind.Country, "LU")], Found("Ministers in Brussels met Luxembourg's envoy."));
    }

    [Fact]
    public void TheLongestNameWins_AcrossPlacesAndClues()
    {
        Assert.Equal([("African National Congress", PlaceKind.Government, "ZA")], Found("The African National Congress met."));
        Assert.Equal([("Federal Reserve Board", PlaceKind.Authority, "US")], Found("The Federal Reserve Board met."));
    }
}
