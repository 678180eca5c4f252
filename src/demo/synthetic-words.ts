/**
 * Word lists for the synthetic customer generator. Kept as comma-separated text so that
 * hundreds of entries stay readable (and prettier leaves them on a few lines).
 *
 * Everything here is fictitious; postcode ranges and area codes are approximately right
 * for the city so that the demo looks plausible, not authoritative.
 */

/** Split a comma/newline separated list, dropping blanks. */
function list(text: string): readonly string[] {
  return text
    .split(/[,\n]/)
    .map((word) => word.trim())
    .filter((word) => word !== '');
}

/** Dutch first names, with the diacritics people really have. */
export const NL_FIRST_NAMES = list(`
  Jan, Piet, Kees, Henk, Johan, Willem, Gerrit, Hans, Peter, Mark, Dennis, Bas, Thijs, Sander,
  Jeroen, Ruud, Joost, Niels, Daan, Sem, Lucas, Levi, Finn, Milan, Jesse, Bram, Stijn, Ruben,
  Tim, Lars, Wouter, Maarten, Erik, Frank, Martijn, Arjen, Sjoerd, Tjeerd, Hidde, Joris, Koen,
  Luuk, Teun, Daniël, Raphaël, Noël, Mohamed, Emre, Anne, Sanne, Femke, Anouk, Lotte, Emma,
  Julia, Sophie, Tess, Fleur, Lieke, Iris, Eva, Lisa, Mirjam, Ingrid, Marieke, Annemiek, Els,
  Ria, Wilma, Karin, Petra, Monique, Ilse, Esther, Linda, Yvonne, Chloë, Zoë, Noor, Saar, Roos,
  Mila, Nina, Fenna, Renée, Inge, Hanneke, Fatima, Yasmina, Elif, Lieve, José
`);

/** Dutch surnames, tussenvoegsel included in lower case as written after a first name. */
export const NL_SURNAMES = list(`
  de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer,
  de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer, de Wit,
  Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, Jacobs, de Haan, Vermeulen,
  van den Heuvel, van der Veen, van den Broek, de Bruijn, van der Heijden, Schouten, van Beek,
  Willems, van Vliet, van de Ven, Hoekstra, Maas, Verhoeven, Koster, van Dam, van der Wal,
  Prins, Blom, Huisman, Peeters, de Jonge, Kuipers, van Veen, Post, Veenstra, Kramer,
  van den Brink, Scholten, van Wijk, Postma, Martens, Vink, de Ruiter, Timmermans, Groen,
  Gerritsen, Jonker, van Loon, van der Velde, Willemsen, Smeets, de Lange, de Vos, Bosch,
  van Dongen, Schipper, de Koning, van der Laan, Driessen, van Doorn, Hermans, Evers,
  van den Bosch, van der Meulen, Hofman, Bosman, Wolters, Sanders, van der Horst, Mol,
  Molenaar, van de Pol, de Leeuw, Verbeek, Öztürk, Yılmaz, El Amrani, Çelik, Bouzidi, Ramdin
`);

/** Dutch street names; a house number is added by the generator. */
export const NL_STREETS = list(`
  Kerkstraat, Dorpsstraat, Hoofdstraat, Molenweg, Molenstraat, Stationsweg, Stationsstraat,
  Schoolstraat, Nieuwstraat, Julianastraat, Wilhelminastraat, Beatrixlaan, Irenestraat,
  Oranjestraat, Prins Bernhardlaan, Prinses Margrietlaan, Lindenlaan, Eikenlaan, Beukenlaan,
  Berkenlaan, Kastanjelaan, Populierenweg, Esdoornstraat, Tulpstraat, Rozenstraat, Lelielaan,
  Vondelstraat, Rembrandtlaan, Vermeerstraat, Frans Halsstraat, Van Goghstraat, Jan Steenstraat,
  Mozartlaan, Industrieweg, Parallelweg, Kanaalweg, Dijkstraat, Havenstraat, Marktstraat,
  Achterstraat, Voorstraat, Burgemeester Visserstraat, Prinsengracht, Herengracht,
  Keizersgracht, Oudegracht, Singel, Zuiderweg, Noorderweg, Sportlaan, Parkweg, Bosweg,
  Veldweg, Weverstraat, Smidsstraat, Bakkerstraat, Korte Groenendaal, Lange Voorhout
`);

/** Dutch cities with their (approximate) four-digit postcode range: `City:low-high`. */
export const NL_CITIES = list(`
  Amsterdam:1011-1109, Rotterdam:3011-3089, Den Haag:2491-2599, Utrecht:3511-3585,
  Eindhoven:5611-5658, Groningen:9711-9747, Tilburg:5011-5049, Almere:1311-1364,
  Breda:4811-4839, Nijmegen:6511-6546, Apeldoorn:7311-7339, Haarlem:2011-2037,
  Arnhem:6811-6846, Enschede:7511-7548, Amersfoort:3811-3829, Zaandam:1501-1509,
  's-Hertogenbosch:5211-5249, Zwolle:8011-8047, Leiden:2311-2334, Maastricht:6211-6229,
  Dordrecht:3311-3329, Delft:2611-2629, Alkmaar:1811-1827, Deventer:7411-7431,
  Leeuwarden:8911-8939, Hilversum:1211-1223, Amstelveen:1181-1189, Venlo:5911-5928,
  Gouda:2801-2809, Hoorn:1621-1628, Helmond:5701-5709, Oss:5341-5351, Ede:6711-6718,
  Roosendaal:4701-4709, Schiedam:3111-3125, Purmerend:1441-1448, Lelystad:8211-8245,
  Zeist:3701-3709, Middelburg:4331-4338, Assen:9401-9409, Emmen:7811-7833, Heerlen:6411-6422,
  Wageningen:6701-6709, Zutphen:7201-7207, Den Helder:1781-1789, Sneek:8601-8608
`);

/** English first names for UK and Irish customers (fadas included). */
export const EN_FIRST_NAMES = list(`
  Oliver, George, Harry, Jack, Charlie, Thomas, James, William, Oscar, Henry, Alfie, Leo,
  Joshua, Freddie, Archie, Arthur, Samuel, Daniel, Edward, Joseph, Benjamin, David, Michael,
  Paul, Andrew, Richard, Mark, Stephen, Christopher, Matthew, Robert, John, Peter, Gareth, Rhys,
  Owen, Callum, Liam, Seán, Ciarán, Pádraig, Cian, Conor, Darragh, Eoin, Olivia, Amelia, Isla,
  Ava, Emily, Sophie, Grace, Lily, Freya, Poppy, Charlotte, Ella, Mia, Jessica, Sarah, Emma,
  Hannah, Rebecca, Laura, Rachel, Claire, Helen, Karen, Susan, Alison, Catherine, Siobhán,
  Aoife, Niamh, Róisín, Saoirse, Orla, Caoimhe, Aisling, Priya, Aisha, Zoë
`);

/** UK and Irish surnames. */
export const EN_SURNAMES = list(`
  Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, Roberts,
  Robinson, Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris,
  Clarke, Patel, Jackson, Wood, Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee,
  King, Baker, Harrison, Morgan, Allen, James, Scott, Phillips, Watson, Davis, Parker, Price,
  Bennett, Young, Griffiths, Mitchell, Kelly, Cook, Carter, Richardson, Bailey, Collins, Bell,
  Shaw, Murphy, Miller, Cox, Richards, Khan, Marshall, Anderson, Simpson, Ellis, Adams, Singh,
  O'Brien, O'Sullivan, Byrne, Ryan, O'Connor, Walsh, McCarthy, Doyle, Kennedy, Lynch, Murray,
  Quinn, McLaughlin, Fitzgerald, Gallagher, Ó Súilleabháin
`);

/** UK street names; the house number goes in front. */
export const GB_STREETS = list(`
  High Street, Station Road, Church Lane, Church Street, Main Street, Park Road, Victoria Road,
  Green Lane, Manor Road, Church Road, Park Avenue, Queens Road, The Crescent, Kings Road,
  New Road, Mill Lane, School Lane, London Road, North Street, Springfield Road, The Green,
  Chestnut Close, Grange Road, Windsor Road, Albert Road, York Road, Orchard Close,
  Highfield Road, Stanley Road, Richmond Road, Elm Grove, Meadow Way, Willow Drive, Oak Avenue,
  Beech Grove, Broadway, Market Street, Bridge Street, George Street, Castle Street
`);

/** UK cities with their postcode areas: `City:AREA AREA`. */
export const GB_CITIES = list(`
  London:E N NW SE SW W, Manchester:M, Birmingham:B, Leeds:LS, Glasgow:G, Edinburgh:EH,
  Liverpool:L, Bristol:BS, Sheffield:S, Cardiff:CF, Newcastle upon Tyne:NE, Nottingham:NG,
  Leicester:LE, Oxford:OX, Cambridge:CB, Brighton:BN, York:YO, Bath:BA, Belfast:BT,
  Southampton:SO, Norwich:NR, Exeter:EX, Aberdeen:AB, Coventry:CV, Reading:RG, Plymouth:PL,
  Dundee:DD, Swansea:SA, Derby:DE, Bournemouth:BH
`);

/** Irish street names. */
export const IE_STREETS = list(`
  Main Street, O'Connell Street, Grafton Street, Patrick Street, Shop Street, Church Road,
  Dominick Street, Parnell Street, Abbey Street, Mary Street, Castle Street, Strand Road,
  Bridge Street, Greenfield Park, Seafield Road, Oakwood Avenue, Ashgrove, The Paddocks
`);

/** Irish cities and towns with their Eircode routing keys: `City:KEY KEY`. */
export const IE_CITIES = list(`
  Dublin:D01 D02 D04 D06 D08 D12 D15 D24, Cork:T12 T23, Galway:H91, Limerick:V94,
  Waterford:X91, Kilkenny:R95, Drogheda:A92, Dundalk:A91, Sligo:F91, Athlone:N37, Wexford:Y35,
  Bray:A98, Navan:C15, Ennis:V95, Tralee:V92, Letterkenny:F92
`);

/** Dutch business names; `{S}` is a surname, written with a capital tussenvoegsel. */
export const NL_BUSINESSES = list(`
  Bakkerij {S}, Fietsenmaker {S} B.V., Installatiebedrijf {S}, Schildersbedrijf {S} V.O.F.,
  Autobedrijf {S} B.V., Administratiekantoor {S}, Tandartspraktijk {S}, Webdesign {S},
  Bloemenhuis {S}, Slagerij {S}, Hoveniersbedrijf {S}, Makelaardij {S} B.V., {S} Transport B.V.,
  {S} ICT, Kapsalon {S}, Fotostudio {S}, Advocatenkantoor {S}, {S} Bouw B.V., Drukkerij {S},
  Café {S}
`);

/** UK and Irish business names; `{S}` is a surname. */
export const EN_BUSINESSES = list(`
  {S} & Sons Ltd, {S} Plumbing Ltd, {S} Consulting, {S} Web Design Ltd, The {S} Bakery,
  {S} Accountants LLP, {S} Builders, {S} Dental Practice, {S} Electrical Ltd, {S} Florist,
  {S} Photography, {S} Solicitors, {S} Garage, {S} Joinery Ltd
`);

/** Words people put next to their name in a Dutch domain name. */
export const NL_DOMAIN_WORDS = list(`
  fotografie, bouw, advies, design, online, webshop, media, coaching, klussen, administratie,
  installatie, muziek, reizen, kunst, tuin, zorg, ict, taal, yoga, catering
`);

/** Words people put next to their name in an English domain name. */
export const EN_DOMAIN_WORDS = list(`
  photography, design, consulting, online, media, studio, builds, garden, crafts, music,
  travel, digital, tutoring, yoga, catering, wellness, books, art, tech, events
`);
