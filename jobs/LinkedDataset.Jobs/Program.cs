Console.WriteLine("ldp");
